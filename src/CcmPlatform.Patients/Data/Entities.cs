using CcmPlatform.Contracts;

namespace CcmPlatform.Patients.Data;

public sealed class Practice
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    /// <summary>IANA zone; month boundaries are local midnight here (R-TIME-2).</summary>
    public required string TimeZone { get; set; }

    public bool WaivesCoinsurance { get; set; }

    public DateTime RecordedAt { get; init; }
}

public sealed class RosterMember
{
    public Guid Id { get; init; }

    public Guid PracticeId { get; init; }

    public required string DisplayName { get; set; }

    public RosterKind Kind { get; set; }

    public required string Credential { get; set; }

    public string? Npi { get; set; }

    public string? PractitionerType { get; set; }

    public DateOnly ActiveFrom { get; set; }

    /// <summary>Years the practitioner is a Qualifying APM Participant (R-FEE-1), comma-separated.</summary>
    public string QualifyingApmParticipantYears { get; set; } = string.Empty;

    public DateTime RecordedAt { get; init; }

    public IReadOnlyList<int> QpYears => QualifyingApmParticipantYears
        .Split(',', StringSplitOptions.RemoveEmptyEntries)
        .Select(int.Parse)
        .ToArray();
}

public sealed class Patient
{
    public Guid Id { get; init; }

    public Guid PracticeId { get; init; }

    /// <summary>The Synthea patient id (identifier system https://github.com/synthetichealth/synthea, else Patient.id): the import's natural key.</summary>
    public string? SyntheaId { get; init; }

    public required string GivenName { get; set; }

    public required string FamilyName { get; set; }

    public DateOnly BirthDate { get; set; }

    public string? Sex { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime RecordedAt { get; init; }

    public List<PatientIdentifier> Identifiers { get; } = [];

    public List<Condition> Conditions { get; } = [];

    public List<Encounter> Encounters { get; } = [];

    public List<Coverage> Coverages { get; } = [];

    public List<BillingPractitionerAssignment> BillingAssignments { get; } = [];

    public List<Consent> Consents { get; } = [];

    public List<Enrollment> Enrollments { get; } = [];

    public List<Visit> Visits { get; } = [];

    public List<InpatientStay> InpatientStays { get; } = [];

    public Death? Death { get; set; }

    public string Name => $"{GivenName} {FamilyName}".Trim();

    /// <summary>The billing practitioner in force at an instant (R-ELIG-4): the latest assignment effective at or before it.</summary>
    public BillingPractitionerAssignment? BillingAssignmentAt(DateTime instant) => BillingAssignments
        .Where(a => a.EffectiveFrom <= instant)
        .OrderByDescending(a => a.EffectiveFrom)
        .ThenByDescending(a => a.RecordedAt)
        .FirstOrDefault();

    public bool DiedOnOrBefore(DateOnly date) => Death is { } d && (d.DeathDate ?? DateOnly.FromDateTime(d.DiedAt ?? DateTime.MinValue)) <= date;
}

public sealed class PatientIdentifier
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public required string System { get; init; }

    public required string Value { get; init; }
}

public sealed class Condition
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    /// <summary>The source resource id (FHIR Condition.id): re-import updates this row, never adds another.</summary>
    public string? ExternalId { get; init; }

    public string? SnomedCode { get; set; }

    public required string Display { get; set; }

    public string? Icd10Code { get; set; }

    /// <summary>The map's group text ("ccw:16|ccw:21", "not-chronic"), or null when unmapped.</summary>
    public string? ChronicGroup { get; set; }

    public bool Active { get; set; }

    public DateOnly? OnsetDate { get; set; }

    public DateOnly? AbatementDate { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime RecordedAt { get; init; }
}

public sealed class Encounter
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public required string ExternalId { get; init; }

    /// <summary>FHIR Encounter.class code (AMB, EMER, IMP, wellness …).</summary>
    public string? ClassCode { get; set; }

    public string? Code { get; set; }

    public string? Display { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime? EndedAt { get; set; }

    /// <summary>The source system's practitioner (NPI or resource id): kept as an external id, never a roster member.</summary>
    public string? ExternalPractitionerId { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime RecordedAt { get; init; }
}

public sealed class Coverage
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public required string Payer { get; init; }

    public required string Mbi { get; init; }

    public DateOnly PartBStart { get; init; }

    public DateOnly? PartBEnd { get; init; }

    public bool Qmb { get; init; }

    public DateTime OccurredAt { get; init; }

    public DateTime RecordedAt { get; init; }

    public Guid RecordedBy { get; init; }

    public bool PartBInForceOn(DateOnly date) => PartBStart <= date && (PartBEnd is null || date <= PartBEnd);
}

public sealed class BillingPractitionerAssignment
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public Guid PractitionerId { get; init; }

    public DateTime EffectiveFrom { get; init; }

    public DateTime OccurredAt { get; init; }

    public DateTime RecordedAt { get; init; }

    /// <summary>Caller, or Guid.Empty for the import's deterministic choice.</summary>
    public Guid RecordedBy { get; init; }
}

public sealed class Consent
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public CareProgram Program { get; init; }

    /// <summary>The billing practitioner the consent is for (R-CONS-2).</summary>
    public Guid PractitionerId { get; init; }

    public required string Method { get; init; }

    /// <summary>Who obtained it: the caller, never the body (R-CONS-1).</summary>
    public Guid ObtainedBy { get; init; }

    public bool InformedCostSharing { get; init; }

    public bool InformedRightToStop { get; init; }

    public bool InformedSinglePractitioner { get; init; }

    public bool InformedElectronicSharing { get; init; }

    public bool Declined { get; init; }

    public DateTime OccurredAt { get; init; }

    public DateTime RecordedAt { get; init; }

    public DateTime? RevokedAt { get; set; }

    /// <summary>End of the revocation's calendar month in the practice zone (R-CONS-3).</summary>
    public DateTime? RevocationEffectiveAt { get; set; }

    public string? RevocationReason { get; set; }

    public DateTime? RevocationRecordedAt { get; set; }

    public Guid? RevokedBy { get; set; }
}

public enum EnrollmentState
{
    Candidate,
    Eligible,
    ConsentPending,
    Enrolled,
    Disenrolled,
    Declined,
    Deceased,
}

public sealed class Enrollment
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public CareProgram Program { get; init; }

    public EnrollmentState State { get; private set; }

    public DateTime ChangedAt { get; private set; }

    public List<EnrollmentStateChange> History { get; } = [];

    public void MoveTo(EnrollmentState to, Guid by, DateTime occurredAt, DateTime recordedAt, string? reason)
    {
        History.Add(new EnrollmentStateChange
        {
            Id = Guid.CreateVersion7(recordedAt),
            EnrollmentId = Id,
            From = History.Count == 0 ? null : State,
            To = to,
            ChangedBy = by,
            OccurredAt = occurredAt,
            RecordedAt = recordedAt,
            Reason = reason,
            // Changes made in one request share their timestamps (an import moves Candidate then Eligible at the same
            // instant) and a v7 id is random within a millisecond, so only this number keeps them in the order made.
            Sequence = History.Count == 0 ? 1 : History.Max(h => h.Sequence) + 1,
        });
        State = to;
        ChangedAt = recordedAt;
    }
}

public sealed class EnrollmentStateChange
{
    public Guid Id { get; init; }

    public Guid EnrollmentId { get; init; }

    public EnrollmentState? From { get; init; }

    public EnrollmentState To { get; init; }

    public Guid ChangedBy { get; init; }

    public DateTime OccurredAt { get; init; }

    public DateTime RecordedAt { get; init; }

    public string? Reason { get; init; }

    /// <summary>1, 2, 3… per enrollment in the order the changes were made; 0 on rows stored before it existed.</summary>
    public int Sequence { get; init; }

    /// <summary>The order a history is shown in: when it was recorded, then the order it was made.</summary>
    public static IEnumerable<EnrollmentStateChange> InOrder(IEnumerable<EnrollmentStateChange> history)
        => history.OrderBy(h => h.RecordedAt).ThenBy(h => h.Sequence).ThenBy(h => h.Id);
}

public sealed class Visit
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public required string Code { get; init; }

    public Guid PractitionerId { get; init; }

    public DateTime StartedAt { get; init; }

    public DateTime EndedAt { get; init; }

    public bool Initiating { get; init; }

    /// <summary>At most one per patient (R-INIT-2): a filtered unique index backs the check.</summary>
    public bool WithG0506 { get; init; }

    public DateTime OccurredAt { get; init; }

    public DateTime RecordedAt { get; init; }

    public Guid RecordedBy { get; init; }
}

public sealed class InpatientStay
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    /// <summary>Hospital or Snf.</summary>
    public required string Facility { get; init; }

    public DateTime AdmittedAt { get; init; }

    public DateTime? DischargedAt { get; init; }

    public DateTime OccurredAt { get; init; }

    public DateTime RecordedAt { get; init; }
}

public sealed class Death
{
    public Guid Id { get; init; }

    public Guid PatientId { get; init; }

    public DateTime? DiedAt { get; set; }

    public DateOnly? DeathDate { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime RecordedAt { get; init; }
}
