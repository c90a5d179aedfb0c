using CcmPlatform.Contracts;
using CcmPlatform.Patients.Data;

namespace CcmPlatform.Patients.Apis;

public sealed record CreatePracticeRequest(string? Name, string? TimeZone, bool WaivesCoinsurance);

public sealed record PracticeResponse(Guid Id, string Name, string TimeZone, bool WaivesCoinsurance);

public sealed record RegisterRosterMemberRequest(
    string? DisplayName,
    RosterKind? Kind,
    string? Credential,
    string? Npi,
    string? PractitionerType,
    DateOnly? ActiveFrom,
    int[]? QualifyingApmParticipantYears);

public sealed record RosterMemberResponse(
    Guid Id,
    Guid PracticeId,
    string DisplayName,
    RosterKind Kind,
    string Credential,
    string? Npi,
    string? PractitionerType,
    DateOnly ActiveFrom,
    IReadOnlyList<int> QualifyingApmParticipantYears);

public sealed record ImportResponse(
    Guid PatientId,
    bool Created,
    int Conditions,
    int Encounters,
    int Medications,
    IReadOnlyList<string> UnmappedCodes,
    Guid BillingPractitionerId);

public sealed record EnrollmentSummary(CareProgram Program, EnrollmentState State);

public sealed record PatientSummary(Guid Id, string Name, DateOnly BirthDate, bool Deceased, Guid? BillingPractitionerId, EnrollmentSummary? Enrollment);

public sealed record ConditionView(Guid Id, string? SnomedCode, string Display, string? Icd10, string? Group, bool Active, DateOnly? OnsetDate, DateOnly? AbatementDate);

public sealed record CoverageView(Guid Id, string Payer, string Mbi, DateOnly PartBStart, DateOnly? PartBEnd, bool Qmb, DateTime OccurredAt, DateTime RecordedAt);

public sealed record ConsentView(
    Guid Id,
    CareProgram Program,
    Guid PractitionerId,
    string Method,
    Guid ObtainedBy,
    bool InformedCostSharing,
    bool InformedRightToStop,
    bool InformedSinglePractitioner,
    bool InformedElectronicSharing,
    bool Declined,
    DateTime OccurredAt,
    DateTime RecordedAt,
    DateTime? RevokedAt,
    DateTime? RevocationEffectiveAt,
    string? RevocationReason);

public sealed record StateChangeView(EnrollmentState? From, EnrollmentState To, Guid ChangedBy, DateTime OccurredAt, DateTime RecordedAt, string? Reason);

public sealed record EnrollmentView(Guid Id, CareProgram Program, EnrollmentState State, IReadOnlyList<StateChangeView> History);

public sealed record VisitView(Guid Id, string Code, Guid PractitionerId, DateTime StartedAt, DateTime EndedAt, bool Initiating, bool WithG0506, DateTime RecordedAt);

public sealed record EncounterView(Guid Id, string ExternalId, string? ClassCode, string? Code, string? Display, DateTime StartedAt, DateTime? EndedAt, string? ExternalPractitionerId);

public sealed record AssignmentView(Guid Id, Guid PractitionerId, DateTime EffectiveFrom, DateTime OccurredAt, DateTime RecordedAt);

public sealed record StayView(Guid Id, string Facility, DateTime AdmittedAt, DateTime? DischargedAt, DateTime RecordedAt);

public sealed record DeathView(Guid Id, DateTime? DiedAt, DateOnly? DeathDate, DateTime OccurredAt, DateTime RecordedAt);

public sealed record IdentifierView(string System, string Value);

public sealed record PatientDetail(
    Guid Id,
    Guid PracticeId,
    string Name,
    string GivenName,
    string FamilyName,
    DateOnly BirthDate,
    string? Sex,
    bool Deceased,
    DeathView? Death,
    IReadOnlyList<IdentifierView> Identifiers,
    Guid? BillingPractitionerId,
    IReadOnlyList<AssignmentView> BillingPractitionerAssignments,
    IReadOnlyList<ConditionView> Conditions,
    IReadOnlyList<CoverageView> Coverage,
    IReadOnlyList<ConsentView> Consents,
    IReadOnlyList<EnrollmentView> Enrollments,
    IReadOnlyList<VisitView> Visits,
    IReadOnlyList<EncounterView> Encounters,
    IReadOnlyList<StayView> InpatientStays);

public sealed record RecordCoverageRequest(string? Payer, string? Mbi, DateOnly? PartBStart, DateOnly? PartBEnd, bool Qmb, DateTime? OccurredAt);

public sealed record EligibilityRow(
    Guid PatientId,
    string Name,
    int Age,
    string Suggestion,
    bool Deceased,
    bool Billable,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Reasons);

public sealed record RecordConsentRequest(
    CareProgram? Program,
    Guid? PractitionerId,
    string? Method,
    DateTime? OccurredAt,
    bool InformedCostSharing,
    bool InformedRightToStop,
    bool InformedSinglePractitioner,
    bool InformedElectronicSharing,
    bool Declined);

public sealed record RevokeConsentRequest(DateTime? OccurredAt, string? Reason);

public sealed record RevocationResponse(Guid Id, DateTime RevokedAt, DateTime RevocationEffectiveAt);

public sealed record EnrollRequest(CareProgram? Program, DateTime? OccurredAt, string? Reason);

public sealed record DisenrollRequest(CareProgram? Program, DateTime? OccurredAt, string? Reason);

public sealed record RecordVisitRequest(string? Code, Guid? PractitionerId, DateTime? StartedAt, DateTime? EndedAt, bool Initiating, bool WithG0506);

public sealed record AssignBillingPractitionerRequest(Guid? PractitionerId, DateTime? EffectiveFrom, DateTime? OccurredAt);

public sealed record RecordInpatientStayRequest(string? Facility, DateTime? AdmittedAt, DateTime? DischargedAt, DateTime? OccurredAt);

public sealed record RecordDeathRequest(DateTime? DiedAt, DateOnly? DeathDate, DateTime? OccurredAt);

public sealed record IdResponse(Guid Id);
