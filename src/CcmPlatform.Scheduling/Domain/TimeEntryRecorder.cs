using System.Data;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.Terminology;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Domain;

/// <summary>What a client asks to record; the staff kind is never part of it (R-TIME-3).</summary>
public sealed record TimeEntryDraft(
    Guid PatientId,
    CareProgram Program,
    DateTime StartedAt,
    int Minutes,
    string? ActivityType,
    string? Note,
    IReadOnlyList<string>? ConditionsAddressed);

/// <summary>
/// Validates and stores time entries with their TimeEntryRecorded events in one commit. Every
/// refusal is a <see cref="RuleViolationException"/> thrown before anything is saved.
/// </summary>
public sealed class TimeEntryRecorder(SchedulingDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<TimeEntry>> RecordAsync(Guid staffId, Guid recordedBy, IReadOnlyList<TimeEntryDraft> drafts, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var entries = new List<TimeEntry>(drafts.Count);
        foreach (var draft in drafts)
        {
            entries.Add(await ValidateAsync(staffId, recordedBy, draft, now, ct));
        }

        for (var i = 0; i < entries.Count; i++)
        {
            for (var j = i + 1; j < entries.Count; j++)
            {
                if (TimeRules.Overlaps(entries[i].StartedAt, entries[i].EndedAt, entries[j].StartedAt, entries[j].EndedAt))
                {
                    throw RuleViolationException.Conflict("startedAt", "R-TIME-6", "The entries overlap each other.");
                }
            }
        }

        // Two replicas may check at once. The check and the insert share a serializable transaction:
        // on SQLite that is BEGIN IMMEDIATE (one writer at a time, others wait on busy_timeout); on SQL
        // Server the range read takes key-range locks, so a concurrent insert blocks or is chosen as
        // a deadlock victim. The filtered unique index (staff, start) is the last line of defence.
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, ct);
        foreach (var entry in entries)
        {
            var clash = await db.TimeEntries
                .Where(e => e.StaffId == entry.StaffId && e.VoidedAt == null && e.StartedAt < entry.EndedAt && e.EndedAt > entry.StartedAt)
                .Select(e => new { e.Id, e.StartedAt, e.Minutes })
                .FirstOrDefaultAsync(ct);
            if (clash is not null)
            {
                throw RuleViolationException.Conflict("startedAt", "R-TIME-6", $"Staff member already has entry {clash.Id} from {clash.StartedAt:yyyy-MM-ddTHH:mm}Z for {clash.Minutes} minutes; entries of one staff member may not overlap.");
            }

            db.TimeEntries.Add(entry);
            db.Outbox(new TimeEntryRecorded(entry.PracticeId, entry.PatientId, entry.Id, entry.StaffId, entry.StaffKind, entry.Program, entry.StartedAt, entry.Minutes, entry.ActivityType, entry.Conditions, entry.RecordedAt), now);
        }

        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw RuleViolationException.Conflict("startedAt", "R-TIME-6", "Another entry of this staff member was recorded for the same time.");
        }

        return entries;
    }

    private async Task<TimeEntry> ValidateAsync(Guid staffId, Guid recordedBy, TimeEntryDraft draft, DateTime now, CancellationToken ct)
    {
        if (!TimeRules.MinutesInRange(draft.Minutes))
        {
            throw RuleViolationException.Unprocessable("minutes", "R-TIME-6", $"Minutes must be a whole number from {TimeRules.MinMinutes} to {TimeRules.MaxMinutes}; split longer work into several entries.");
        }

        if (draft.StartedAt == default)
        {
            throw RuleViolationException.Unprocessable("startedAt", "R-TIME-6", TimeRules.DefaultStartMessage);
        }

        var startedAt = TimeRules.TruncateToMinute(draft.StartedAt);
        if (TimeRules.AsUtc(draft.StartedAt) > now)
        {
            throw RuleViolationException.Unprocessable("startedAt", "R-FACT-1", "startedAt is in the future.");
        }

        if (TimeRules.EndsInFuture(startedAt, draft.Minutes, now))
        {
            throw RuleViolationException.Unprocessable("minutes", "R-FACT-1", $"The entry would end at {startedAt.AddMinutes(draft.Minutes):yyyy-MM-ddTHH:mm}Z, in the future; log minutes once they are spent.");
        }

        if (string.IsNullOrWhiteSpace(draft.ActivityType))
        {
            throw RuleViolationException.Unprocessable("activityType", "R-TIME-7", "activityType is required.");
        }

        // R-TIME-7 makes the free-text note part of every entry: without it the minutes cannot be audited.
        if (string.IsNullOrWhiteSpace(draft.Note))
        {
            throw RuleViolationException.Unprocessable("note", "R-TIME-7", "A note describing the activity is required.");
        }

        var codes = new List<string>();
        var conditions = draft.ConditionsAddressed ?? [];
        for (var i = 0; i < conditions.Count; i++)
        {
            if (!Icd10Cm.Default.TryNormalize(conditions[i], out var code))
            {
                throw RuleViolationException.Unprocessable($"conditionsAddressed[{i}]", "R-TIME-7", $"'{conditions[i]}' is not an ICD-10-CM code.");
            }

            if (!codes.Contains(code))
            {
                codes.Add(code);
            }
        }

        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == draft.PatientId, ct)
            ?? throw RuleViolationException.NotFound("patientId", $"Patient {draft.PatientId} is not known to Scheduling.");
        var practice = await db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patient.PracticeId, ct);
        var zone = TimeRules.Zone(practice?.TimeZone);

        // The kind is the roster's on the entry's local date, never the request's (R-TIME-3).
        var date = TimeRules.LocalDate(startedAt, zone);
        var roster = await db.Roster.AsNoTracking()
            .Where(r => r.RosterId == staffId && r.PracticeId == patient.PracticeId && r.ActiveFrom <= date)
            .OrderByDescending(r => r.ActiveFrom)
            .FirstOrDefaultAsync(ct)
            ?? throw RuleViolationException.Unprocessable("staffId", "R-TIME-3", $"Staff member {staffId} is not on the practice roster on {date:yyyy-MM-dd}.");

        var latestConsent = await db.Consents.AsNoTracking()
            .Where(c => c.PatientId == patient.Id && c.Program == draft.Program)
            .OrderByDescending(c => c.OccurredAt)
            .FirstOrDefaultAsync(ct);
        if (latestConsent?.RevokedAt is { } revokedAt && TimeRules.BlockedByRevocation(startedAt, revokedAt, zone))
        {
            throw RuleViolationException.Unprocessable("startedAt", "R-CONS-3", $"Consent for {draft.Program} was revoked on {TimeRules.LocalDate(revokedAt, zone):yyyy-MM-dd}; no entries after the end of that month.");
        }

        return new TimeEntry
        {
            Id = Guid.CreateVersion7(now),
            PracticeId = patient.PracticeId,
            PatientId = patient.Id,
            StaffId = staffId,
            StaffKind = roster.Kind,
            Program = draft.Program,
            StartedAt = startedAt,
            EndedAt = startedAt.AddMinutes(draft.Minutes),
            Minutes = draft.Minutes,
            ActivityType = draft.ActivityType.Trim(),
            Note = draft.Note.Trim(),
            ConditionsAddressed = string.Join(',', codes),
            RecordedBy = recordedBy,
            RecordedAt = now,
        };
    }
}
