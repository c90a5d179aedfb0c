namespace CcmPlatform.Contracts;

public sealed record PracticeCreated(Guid PracticeId, string Name, string TimeZone, bool WaivesCoinsurance) : IIntegrationEvent;

/// <summary>A roster member: staff or practitioner. Kind and credential come from here, never from a request (R-TIME-3).</summary>
public sealed record RosterMemberRegistered(
    Guid PracticeId,
    Guid RosterId,
    string DisplayName,
    RosterKind Kind,
    string Credential,
    string? Npi,
    string? PractitionerType,
    DateOnly ActiveFrom,
    IReadOnlyList<DateOnly> QualifyingApmParticipantYears) : IIntegrationEvent;

public sealed record PatientRegistered(
    Guid PracticeId,
    Guid PatientId,
    string GivenName,
    string FamilyName,
    DateOnly BirthDate,
    string? Sex,
    IReadOnlyList<ExternalIdentifier> Identifiers,
    DateTime RecordedAt) : IIntegrationEvent;

public sealed record ExternalIdentifier(string System, string Value);

public sealed record ConditionFact(
    Guid ConditionId,
    string? SnomedCode,
    string Display,
    string? Icd10Code,
    string? ChronicGroup,
    bool Active,
    DateOnly? OnsetDate,
    DateOnly? AbatementDate);

/// <summary>The patient's full current problem list (a snapshot, so consumers replace theirs).</summary>
public sealed record ConditionsChanged(Guid PracticeId, Guid PatientId, IReadOnlyList<ConditionFact> Conditions, DateTime RecordedAt) : IIntegrationEvent;

public sealed record CoverageRecorded(
    Guid PracticeId,
    Guid PatientId,
    Guid CoverageId,
    string Payer,
    string Mbi,
    DateOnly PartBStart,
    DateOnly? PartBEnd,
    bool Qmb,
    DateTime OccurredAt,
    DateTime RecordedAt) : IIntegrationEvent;

public sealed record BillingPractitionerAssigned(
    Guid PracticeId,
    Guid PatientId,
    Guid AssignmentId,
    Guid PractitionerId,
    DateTime EffectiveFrom,
    DateTime OccurredAt,
    DateTime RecordedAt) : IIntegrationEvent;

public sealed record ConsentRecorded(
    Guid PracticeId,
    Guid PatientId,
    Guid ConsentId,
    CareProgram Program,
    Guid PractitionerId,
    string Method,
    Guid ObtainedBy,
    DateTime OccurredAt,
    DateTime RecordedAt) : IIntegrationEvent;

public sealed record ConsentDeclined(Guid PracticeId, Guid PatientId, Guid ConsentId, CareProgram Program, DateTime OccurredAt, DateTime RecordedAt) : IIntegrationEvent;

public sealed record ConsentRevoked(Guid PracticeId, Guid PatientId, Guid ConsentId, CareProgram Program, DateTime OccurredAt, DateTime RecordedAt) : IIntegrationEvent;

public sealed record PatientEnrolled(Guid PracticeId, Guid PatientId, CareProgram Program, DateTime OccurredAt, DateTime RecordedAt) : IIntegrationEvent;

public sealed record PatientDisenrolled(Guid PracticeId, Guid PatientId, CareProgram Program, string Reason, DateTime OccurredAt, DateTime RecordedAt) : IIntegrationEvent;

public sealed record InitiatingVisitRecorded(
    Guid PracticeId,
    Guid PatientId,
    Guid VisitId,
    string Code,
    Guid PractitionerId,
    DateTime StartedAt,
    DateTime EndedAt,
    bool WithG0506,
    DateTime RecordedAt) : IIntegrationEvent;

/// <summary>A past face-to-face visit (from import), used for the 12-month / 3-year look-back of R-INIT-1 and R-APCM-1.</summary>
public sealed record VisitHistoryRecorded(Guid PracticeId, Guid PatientId, Guid VisitId, string? Code, string? PractitionerExternalId, DateTime StartedAt) : IIntegrationEvent;

public sealed record InpatientStayRecorded(Guid PracticeId, Guid PatientId, Guid StayId, string Facility, DateTime AdmittedAt, DateTime? DischargedAt, DateTime RecordedAt) : IIntegrationEvent;

public sealed record PatientDied(Guid PracticeId, Guid PatientId, DateTime? DiedAt, DateOnly? DeathDate, DateTime RecordedAt) : IIntegrationEvent;

public sealed record MedicationStatement(string RxNormCode, string Display, string Status, DateTime? AuthoredOn, string? ExternalId);

/// <summary>Medication requests found by a FHIR import; Medications owns the list.</summary>
public sealed record MedicationsImported(Guid PracticeId, Guid PatientId, IReadOnlyList<MedicationStatement> Medications, DateTime RecordedAt) : IIntegrationEvent;
