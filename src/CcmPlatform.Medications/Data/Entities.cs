using CcmPlatform.Contracts;

namespace CcmPlatform.Medications.Data;

public static class MedicationStatus
{
    public const string Active = "active";
    public const string Stopped = "stopped";
}

public static class MedicationSource
{
    public const string Import = "import";
    public const string Manual = "manual";
}

public sealed class MedicationEntry
{
    public Guid Id { get; set; }

    public Guid PatientId { get; set; }

    public Guid PracticeId { get; set; }

    public string RxNormCode { get; set; } = "";

    public string Display { get; set; } = "";

    public string Status { get; set; } = MedicationStatus.Active;

    public string Source { get; set; } = MedicationSource.Manual;

    /// <summary>The importing system's id (FHIR MedicationRequest id), unique per patient.</summary>
    public string? ExternalId { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime RecordedAt { get; set; }

    public Guid? RecordedBy { get; set; }
}

public sealed class Reconciliation
{
    public Guid Id { get; set; }

    public Guid PatientId { get; set; }

    public Guid PracticeId { get; set; }

    public Guid ReconciledBy { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime RecordedAt { get; set; }

    public string Discrepancies { get; set; } = "";

    /// <summary>JSON list of the changes applied.</summary>
    public string Changes { get; set; } = "[]";
}

/// <summary>An interaction (or an impossible check) found on the active list; resolved when it no longer holds.</summary>
public sealed class InteractionAlert
{
    public Guid Id { get; set; }

    public Guid PatientId { get; set; }

    public Guid PracticeId { get; set; }

    /// <summary>Rule plus the codes involved, so the same finding is not raised twice.</summary>
    public string Key { get; set; } = "";

    public string RuleId { get; set; } = "";

    public string Severity { get; set; } = "";

    public string Summary { get; set; } = "";

    public DateTime RaisedAt { get; set; }

    public DateTime? ResolvedAt { get; set; }

    /// <summary>A clinician saw the alert and decided; the reason says why the combination stays or what was done.</summary>
    public DateTime? AcknowledgedAt { get; set; }

    public Guid? AcknowledgedBy { get; set; }

    public string? AcknowledgementReason { get; set; }
}

public sealed class PatientView
{
    public Guid Id { get; set; }

    public Guid PracticeId { get; set; }
}

/// <summary>Who is on which practice's roster (RosterMemberRegistered): the caller's practice scope and the clinical-write check.</summary>
public sealed class RosterMemberView
{
    public Guid RosterId { get; set; }

    public Guid PracticeId { get; set; }

    public RosterKind Kind { get; set; }
}
