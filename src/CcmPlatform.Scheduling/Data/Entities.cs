using CcmPlatform.Contracts;

namespace CcmPlatform.Scheduling.Data;

/// <summary>Local copy of a practice (from PracticeCreated): its IANA zone sets month boundaries (R-TIME-2).</summary>
public sealed class PracticeView
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string TimeZone { get; set; } = "UTC";
}

/// <summary>A roster member's kind from a date on (from RosterMemberRegistered).</summary>
public sealed class RosterPeriod
{
    public Guid RosterId { get; set; }

    public DateOnly ActiveFrom { get; set; }

    public Guid PracticeId { get; set; }

    public string DisplayName { get; set; } = "";

    public RosterKind Kind { get; set; }

    public string Credential { get; set; } = "";
}

public sealed class PatientView
{
    public Guid Id { get; set; }

    public Guid PracticeId { get; set; }

    public string Name { get; set; } = "";

    public DateTime? DiedAt { get; set; }

    public DateOnly? DeathDate { get; set; }
}

/// <summary>Consent per program, with its revocation (R-CONS-3).</summary>
public sealed class ConsentView
{
    public Guid Id { get; set; }

    public Guid PatientId { get; set; }

    public CareProgram Program { get; set; }

    public Guid PractitionerId { get; set; }

    public DateTime OccurredAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}

/// <summary>
/// A care-management time entry (R-TIME-6/7). Never edited: voiding sets the Void* fields and the
/// staff member records a new one.
/// </summary>
public sealed class TimeEntry
{
    public Guid Id { get; set; }

    public Guid PracticeId { get; set; }

    public Guid PatientId { get; set; }

    public Guid StaffId { get; set; }

    public RosterKind StaffKind { get; set; }

    public CareProgram Program { get; set; }

    public DateTime StartedAt { get; set; }

    /// <summary>StartedAt + Minutes, kept so the overlap query is a plain range comparison.</summary>
    public DateTime EndedAt { get; set; }

    public int Minutes { get; set; }

    public string ActivityType { get; set; } = "";

    public string Note { get; set; } = "";

    /// <summary>Undotted ICD-10-CM codes, comma separated.</summary>
    public string ConditionsAddressed { get; set; } = "";

    /// <summary>Who made the record: the staff member, or the admin who logged it for them.</summary>
    public Guid RecordedBy { get; set; }

    public DateTime RecordedAt { get; set; }

    public DateTime? VoidedAt { get; set; }

    public Guid? VoidedBy { get; set; }

    public string? VoidReason { get; set; }

    public IReadOnlyList<string> Conditions => ConditionsAddressed.Length == 0 ? [] : ConditionsAddressed.Split(',');
}

/// <summary>Billing's numbers for one patient-month (from LedgerUpdated), so the worklist never disagrees with the claim.</summary>
public sealed class PatientMonthLedger
{
    public Guid PatientId { get; set; }

    public int Year { get; set; }

    public int Month { get; set; }

    public Guid PracticeId { get; set; }

    public int CountableMinutes { get; set; }

    public int NotCountableMinutes { get; set; }

    public int? MinutesToNextPaymentStep { get; set; }

    public long BestPaymentCents { get; set; }

    /// <summary>Billing's reasons as JSON [{code, text}]; null when the ledger came from before reasons were published.</summary>
    public string? ReasonsJson { get; set; }

    public DateTime RecordedAt { get; set; }
}

/// <summary>A monthly check-in or other appointment.</summary>
public sealed class Appointment
{
    public Guid Id { get; set; }

    public Guid PracticeId { get; set; }

    public Guid PatientId { get; set; }

    public Guid? StaffId { get; set; }

    /// <summary>An <see cref="AppointmentKind"/> name; rows from before the set was closed may hold other text.</summary>
    public string Kind { get; set; } = nameof(AppointmentKind.MonthlyCheckIn);

    public DateTime ScheduledAt { get; set; }

    public string? Outcome { get; set; }

    public DateTime? CompletedAt { get; set; }

    public DateTime RecordedAt { get; set; }
}

/// <summary>A care-team task.</summary>
public sealed class CareTask
{
    public Guid Id { get; set; }

    public Guid PracticeId { get; set; }

    public Guid? PatientId { get; set; }

    public string Title { get; set; } = "";

    public Guid AssigneeId { get; set; }

    public DateOnly DueDate { get; set; }

    public DateTime? CompletedAt { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTime RecordedAt { get; set; }
}

/// <summary>A patient's enrollment in one program (from PatientEnrolled / PatientDisenrolled): who belongs on the worklist.</summary>
public sealed class EnrollmentView
{
    public Guid PatientId { get; set; }

    public CareProgram Program { get; set; }

    public Guid PracticeId { get; set; }

    public DateTime EnrolledAt { get; set; }

    public DateTime? DisenrolledAt { get; set; }
}

/// <summary>An interaction alert raised by Medications (InteractionDetected), open until acknowledged or resolved there.</summary>
public sealed class MedicationAlertView
{
    public Guid AlertId { get; set; }

    public Guid PatientId { get; set; }

    public Guid PracticeId { get; set; }

    public string RuleId { get; set; } = "";

    public string Severity { get; set; } = "";

    public DateTime RaisedAt { get; set; }

    public DateTime? ClosedAt { get; set; }
}

/// <summary>
/// What an appointment is for: a closed set, so worklists and reports can group by it. Stored by name in the
/// existing text column; rows stored before the set was closed keep whatever text they had.
/// </summary>
public enum AppointmentKind
{
    /// <summary>The monthly CCM check-in with the patient.</summary>
    MonthlyCheckIn,

    /// <summary>Going over the care plan with the patient (R-PLAN-1 review date).</summary>
    CarePlanReview,

    /// <summary>Going over the medication list (a reconciliation, an interaction alert).</summary>
    MedicationReview,

    /// <summary>A follow-up on something raised earlier (a result, a discharge, a referral).</summary>
    FollowUp,
}
