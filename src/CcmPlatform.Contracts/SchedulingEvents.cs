namespace CcmPlatform.Contracts;

/// <summary>
/// A care-management time entry. <see cref="StaffKind"/> is the roster kind on the entry's date;
/// <see cref="StartedAt"/> is truncated to the minute (R-TIME-6).
/// </summary>
public sealed record TimeEntryRecorded(
    Guid PracticeId,
    Guid PatientId,
    Guid EntryId,
    Guid StaffId,
    RosterKind StaffKind,
    CareProgram Program,
    DateTime StartedAt,
    int Minutes,
    string ActivityType,
    IReadOnlyList<string> ConditionsAddressed,
    DateTime RecordedAt) : IIntegrationEvent;

public sealed record TimeEntryVoided(Guid PracticeId, Guid PatientId, Guid EntryId, Guid VoidedBy, string Reason, DateTime RecordedAt) : IIntegrationEvent;

public sealed record AppointmentCompleted(Guid PracticeId, Guid PatientId, Guid AppointmentId, string Outcome, DateTime OccurredAt, DateTime RecordedAt) : IIntegrationEvent;
