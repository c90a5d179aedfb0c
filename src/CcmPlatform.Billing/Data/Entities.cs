namespace CcmPlatform.Billing.Data;

// Billing's own copies of other services' facts (architecture: never read their databases).
// Each is keyed by the id the owning service gave it, so the same fact under a new MessageId changes nothing.

public sealed class PracticeFact
{
    public Guid PracticeId { get; set; }
    public string Name { get; set; } = "";
    public string TimeZone { get; set; } = "America/New_York";
    public bool WaivesCoinsurance { get; set; }
}

public sealed class RosterFact
{
    public Guid RosterId { get; set; }
    public Guid PracticeId { get; set; }
    public string DisplayName { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Credential { get; set; } = "";
    public string? Npi { get; set; }
    public string? PractitionerType { get; set; }
    public DateOnly ActiveFrom { get; set; }
    /// <summary>Qualifying APM Participant years, comma-separated (R-FEE-1).</summary>
    public string QpYears { get; set; } = "";
}

public sealed class PatientFact
{
    public Guid PatientId { get; set; }
    public Guid PracticeId { get; set; }
    public string GivenName { get; set; } = "";
    public string FamilyName { get; set; } = "";
    public DateOnly BirthDate { get; set; }
    public DateTime? DiedAt { get; set; }
    public DateOnly? DeathDate { get; set; }
    /// <summary>Snapshot of qualifying conditions "icd10|group;…" (ConditionsChanged replaces it).</summary>
    public string Conditions { get; set; } = "";
    public DateTime RecordedAt { get; set; }
}

public sealed class CoverageFact
{
    public Guid CoverageId { get; set; }
    public Guid PatientId { get; set; }
    public string Payer { get; set; } = "";
    public string Mbi { get; set; } = "";
    public DateOnly PartBStart { get; set; }
    public DateOnly? PartBEnd { get; set; }
    public bool Qmb { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime RecordedAt { get; set; }
}

public sealed class AssignmentFact
{
    public Guid AssignmentId { get; set; }
    public Guid PatientId { get; set; }
    public Guid PractitionerId { get; set; }
    public DateTime EffectiveFrom { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime RecordedAt { get; set; }
}

public sealed class ConsentFact
{
    public Guid ConsentId { get; set; }
    public Guid PatientId { get; set; }
    public string Program { get; set; } = "";
    public Guid? PractitionerId { get; set; }
    public string Method { get; set; } = "";
    public bool Declined { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime RecordedAt { get; set; }
}

/// <summary>Kept apart from the consent so a revocation that arrives first is not lost.</summary>
public sealed class ConsentRevocationFact
{
    public Guid ConsentId { get; set; }
    public Guid PatientId { get; set; }
    public string Program { get; set; } = "";
    public DateTime OccurredAt { get; set; }
    public DateTime RecordedAt { get; set; }
}

/// <summary>PatientEnrolled / PatientDisenrolled, keyed by (patient, program, kind, occurredAt).</summary>
public sealed class EnrollmentFact
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public string Program { get; set; } = "";
    public bool Enrolled { get; set; }
    public string? Reason { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime RecordedAt { get; set; }
}

public sealed class VisitFact
{
    public Guid VisitId { get; set; }
    public Guid PatientId { get; set; }
    public string? Code { get; set; }
    /// <summary>Roster id for initiating visits; for imported history, the external id (often an NPI).</summary>
    public string? Practitioner { get; set; }
    public bool Initiating { get; set; }
    public bool WithG0506 { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? EndedAt { get; set; }
    public DateTime? RecordedAt { get; set; }
}

public sealed class InpatientStayFact
{
    public Guid StayId { get; set; }
    public Guid PatientId { get; set; }
    public string Facility { get; set; } = "";
    public DateTime AdmittedAt { get; set; }
    public DateTime? DischargedAt { get; set; }
    public DateTime RecordedAt { get; set; }
}

public sealed class CarePlanVersionFact
{
    public Guid CarePlanId { get; set; }
    public int Version { get; set; }
    public Guid PatientId { get; set; }
    public Guid SignedBy { get; set; }
    public DateTime SignedAt { get; set; }
    public bool FirstActivation { get; set; }
    public DateTime RecordedAt { get; set; }
}

public sealed class CarePlanShareFact
{
    public Guid Id { get; set; }
    public Guid CarePlanId { get; set; }
    public int Version { get; set; }
    public Guid PatientId { get; set; }
    public string Method { get; set; } = "";
    public DateTime SharedAt { get; set; }
    public DateTime RecordedAt { get; set; }
}

public sealed class CarePlanRevisionFact
{
    public Guid CarePlanId { get; set; }
    public int Version { get; set; }
    public Guid PatientId { get; set; }
    public Guid RevisedBy { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime RecordedAt { get; set; }
}

public sealed class ComplexityFact
{
    public Guid AssessmentId { get; set; }
    public Guid PatientId { get; set; }
    public string Level { get; set; } = "";
    public Guid PractitionerId { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime RecordedAt { get; set; }
}

public sealed class TimeEntryFact
{
    public Guid EntryId { get; set; }
    public Guid PatientId { get; set; }
    public Guid PracticeId { get; set; }
    public Guid StaffId { get; set; }
    public string StaffKind { get; set; } = "";
    public string Program { get; set; } = "";
    public DateTime StartedAt { get; set; }
    public int Minutes { get; set; }
    public string ActivityType { get; set; } = "";
    /// <summary>ICD-10-CM codes addressed, semicolon-separated.</summary>
    public string ConditionsAddressed { get; set; } = "";
    public DateTime RecordedAt { get; set; }
    public DateTime? VoidedAt { get; set; }
    public string? VoidReason { get; set; }
}

/// <summary>A service for the patient billed outside this platform (R-EXCL-*), entered by the billing role.</summary>
public sealed class BilledElsewhereRecord
{
    public Guid Id { get; set; }
    public Guid PatientId { get; set; }
    public string Code { get; set; } = "";
    public string PractitionerNpi { get; set; } = "";
    public DateOnly DateOfService { get; set; }
    public Guid RecordedBy { get; set; }
    public DateTime RecordedAt { get; set; }
}

/// <summary>A year's fee schedule as uploaded (CSV kept verbatim; parsed by the rules engine).</summary>
public sealed class FeeScheduleRecord
{
    public int Year { get; set; }
    public string Csv { get; set; } = "";
    public decimal ConversionFactor { get; set; }
    public decimal? QpConversionFactor { get; set; }
    public DateTime LoadedAt { get; set; }
}

/// <summary>A per-payer MUE override (R-CODE-6); Cap null = uncapped.</summary>
public sealed class MueCapRecord
{
    public string Payer { get; set; } = "";
    public string Code { get; set; } = "";
    public int? Cap { get; set; }
}

/// <summary>The ledger state of one patient-month: dirty until the projector recomputes it.</summary>
public sealed class PatientMonthRecord
{
    public Guid PatientId { get; set; }
    public int Year { get; set; }
    public int Month { get; set; }
    public Guid PracticeId { get; set; }
    public bool Dirty { get; set; }
    /// <summary>Facts changed after the month was closed (R-CLOSE-2).</summary>
    public bool NeedsReclose { get; set; }
    public int Version { get; set; }
    public int CountableMinutes { get; set; }
    public int NotCountableMinutes { get; set; }
    public int? MinutesToNextPaymentStep { get; set; }
    public long BestPaymentCents { get; set; }
    public DateTime ChangedAt { get; set; }

    /// <summary>For logs and test timeouts: which month, and whether it waits for the projector.</summary>
    public override string ToString() =>
        $"{PatientId} {Year}-{Month:00}: dirty={Dirty} version={Version} countable={CountableMinutes} notCountable={NotCountableMinutes} changedAt={ChangedAt:O}";
}

public sealed class MonthCloseRecord
{
    public Guid PracticeId { get; set; }
    public int Year { get; set; }
    public int Month { get; set; }
    public Guid CloseId { get; set; }
    public DateTime FirstClosedAt { get; set; }
    public DateTime LastClosedAt { get; set; }
    public int Runs { get; set; }
    public bool NeedsReclose { get; set; }
}

/// <summary>The one outcome of a patient-month at its last close (R-CLOSE-1).</summary>
public sealed class OutcomeRecord
{
    public Guid PatientId { get; set; }
    public int Year { get; set; }
    public int Month { get; set; }
    public Guid PracticeId { get; set; }
    public string Kind { get; set; } = "";
    public Guid? ClaimId { get; set; }
    /// <summary>Machine-readable reasons, semicolon-separated: primary first.</summary>
    public string Reasons { get; set; } = "";
    public string Text { get; set; } = "";
    public string ExplanationText { get; set; } = "";
    public string ExplanationJson { get; set; } = "";
    public string RuleIds { get; set; } = "";
    public DateTime EvaluatedAt { get; set; }
}

/// <summary>An immutable claim (R-CLOSE-2); changes void it and create a replacement.</summary>
public sealed class ClaimRecord
{
    public Guid ClaimId { get; set; }
    public Guid PracticeId { get; set; }
    public Guid PatientId { get; set; }
    public int Year { get; set; }
    public int Month { get; set; }
    /// <summary>"patient|yyyy-MM" while live, null once voided: unique, so one live claim per patient-month (R-EXCL-2).</summary>
    public string? LiveKey { get; set; }
    public string Program { get; set; } = "";
    public string Track { get; set; } = "";
    public DateOnly DateOfService { get; set; }
    public string BillingPractitionerId { get; set; } = "";
    public string BillingNpi { get; set; } = "";
    public string PatientName { get; set; } = "";
    public string Mbi { get; set; } = "";
    public string Diagnoses { get; set; } = "";
    public long TotalCents { get; set; }
    public long CoinsuranceCents { get; set; }
    public string ExplanationText { get; set; } = "";
    public string ExplanationJson { get; set; } = "";
    public string RuleIds { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? VoidedAt { get; set; }
    public string? VoidReason { get; set; }
    public Guid? ReplacesClaimId { get; set; }
    public List<ClaimLineRecord> Lines { get; set; } = [];

    public static string LiveKeyFor(Guid patientId, int year, int month) => $"{patientId:N}|{year:D4}-{month:D2}";
}

public sealed class ClaimLineRecord
{
    public Guid ClaimId { get; set; }
    public int Seq { get; set; }
    public string Code { get; set; } = "";
    public int Units { get; set; }
    public long UnitPriceCents { get; set; }
    public long AmountCents { get; set; }
}
