using CcmPlatform.Contracts;

namespace CcmPlatform.CarePlans.Data;

public enum PlanStatus
{
    Draft,
    Active,
    Superseded,
}

/// <summary>
/// The patient's comprehensive care plan. Its content lives in immutable versions; the plan row
/// carries the concurrency <see cref="Version"/> (the ETag), bumped on every change.
/// </summary>
public sealed class CarePlan
{
    public Guid Id { get; set; }

    public Guid PatientId { get; set; }

    public Guid PracticeId { get; set; }

    public int Version { get; set; }

    public DateTime CreatedAt { get; set; }

    public Guid CreatedBy { get; set; }
}

/// <summary>One version of the plan's content (JSON of <see cref="Domain.PlanContent"/>), never edited; only its status moves.</summary>
public sealed class CarePlanVersion
{
    public Guid Id { get; set; }

    public Guid CarePlanId { get; set; }

    public int Number { get; set; }

    public PlanStatus Status { get; set; }

    public string Content { get; set; } = "{}";

    public Guid CreatedBy { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// When the draft was drawn up (the request's occurredAt, default its recording); a signature may not
    /// predate its day. Null on versions stored before it was kept: their CreatedAt stands in.
    /// </summary>
    public DateTime? DrawnUpAt { get; set; }

    public Guid? SignedBy { get; set; }

    public DateTime? SignedAt { get; set; }

    public DateTime? SignRecordedAt { get; set; }
}

/// <summary>The plan given to the patient (R-PLAN-1): when and how.</summary>
public sealed class CarePlanShare
{
    public Guid Id { get; set; }

    public Guid CarePlanId { get; set; }

    public int VersionNumber { get; set; }

    public string Method { get; set; } = "";

    public DateTime SharedAt { get; set; }

    public Guid SharedBy { get; set; }

    public DateTime RecordedAt { get; set; }
}

/// <summary>An explicit, dated substantial revision by the billing practitioner (R-PLAN-2).</summary>
public sealed class SubstantialRevision
{
    public Guid Id { get; set; }

    public Guid CarePlanId { get; set; }

    public int VersionNumber { get; set; }

    public Guid RevisedBy { get; set; }

    public string? Summary { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime RecordedAt { get; set; }
}

/// <summary>The month's MDM complexity, recorded by the billing practitioner (R-PLAN-2, R-CPLX-1).</summary>
public sealed class ComplexityAssessment
{
    public Guid Id { get; set; }

    public Guid PatientId { get; set; }

    public Guid PracticeId { get; set; }

    public MdmLevel Level { get; set; }

    public Guid PractitionerId { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime RecordedAt { get; set; }
}

/// <summary>Local copy of a practice's IANA zone (PracticeCreated): "today" for a plan's forward-looking dates is the practice's.</summary>
public sealed class PracticeView
{
    public Guid Id { get; set; }

    public string TimeZone { get; set; } = "UTC";
}

/// <summary>Local copy of the patient (PatientRegistered) and its qualifying conditions (ConditionsChanged snapshot, JSON).</summary>
public sealed class PatientView
{
    public Guid Id { get; set; }

    public Guid PracticeId { get; set; }

    public string Name { get; set; } = "";

    public string ConditionsJson { get; set; } = "[]";
}

/// <summary>Who bills the patient from when (BillingPractitionerAssigned): the only one who may sign.</summary>
public sealed class BillingAssignment
{
    public Guid Id { get; set; }

    public Guid PatientId { get; set; }

    public Guid PracticeId { get; set; }

    public Guid PractitionerId { get; set; }

    public DateTime EffectiveFrom { get; set; }
}

/// <summary>Who is on which practice's roster (RosterMemberRegistered): the caller's practice scope and the clinical-write check.</summary>
public sealed class RosterMemberView
{
    public Guid RosterId { get; set; }

    public Guid PracticeId { get; set; }

    public RosterKind Kind { get; set; }
}
