using System.Security.Claims;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.Scheduling.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Apis;

public sealed record TimeEntryRequest(
    Guid PatientId,
    CareProgram Program,
    DateTime StartedAt,
    int Minutes,
    string? ActivityType,
    string? Note,
    List<string>? ConditionsAddressed,
    Guid? StaffId);

public sealed record VoidRequest(string? Reason);

public sealed record TimeEntryResponse(
    Guid Id,
    Guid PatientId,
    Guid PracticeId,
    Guid StaffId,
    RosterKind StaffKind,
    CareProgram Program,
    DateTime StartedAt,
    int Minutes,
    DateTime EndedAt,
    string ActivityType,
    string Note,
    IReadOnlyList<string> ConditionsAddressed,
    Guid RecordedBy,
    DateTime RecordedAt,
    bool Voided,
    DateTime? VoidedAt,
    Guid? VoidedBy,
    string? VoidReason)
{
    public static TimeEntryResponse From(TimeEntry e) => new(
        e.Id, e.PatientId, e.PracticeId, e.StaffId, e.StaffKind, e.Program, e.StartedAt, e.Minutes, e.EndedAt, e.ActivityType, e.Note,
        e.Conditions, e.RecordedBy, e.RecordedAt, e.VoidedAt is not null, e.VoidedAt, e.VoidedBy, e.VoidReason);
}

public static class TimeEntriesApi
{
    public static RouteGroupBuilder MapTimeEntriesApi(this RouteGroupBuilder api)
    {
        // Non-clinical staff may log time too (it never counts), so any role may post (R-TIME-3).
        api.MapPost("/time-entries", RecordAsync).RequireAuthorization(Policies.Clinical).WithSummary("Log care-management minutes; the staff member is the caller (R-TIME-3..7); overlap → 409.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The patient is not known to Scheduling, or belongs to another practice.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The entry overlaps another entry of the same staff member (R-TIME-6).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "minutes is outside 1..240, startedAt is missing or in the future, the entry would end in the future (R-FACT-1), activityType or note is missing, a condition is not ICD-10-CM, the staff member is not on the roster, or consent was revoked (R-TIME-3..7, R-CONS-3).");
        api.MapPost("/time-entries/{entryId:guid}/void", VoidAsync).RequireAuthorization(Policies.Clinical).WithSummary("Void a time entry with a reason (entries are never edited).")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The entry is already voided (R-TIME-7).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "reason is missing (R-TIME-7).");
        api.MapGet("/time-entries/{entryId:guid}", GetAsync).RequireAuthorization(Policies.Read).WithSummary("One time entry, with its void if any.");
        api.MapGet("/patients/{patientId:guid}/time-entries", ListForPatientAsync).RequireAuthorization(Policies.Read).WithSummary("A patient's time entries for a month.");
        return api;
    }

    private static async Task<Results<Created<TimeEntryResponse>, ProblemHttpResult>> RecordAsync(
        TimeEntryRequest request, ClaimsPrincipal user, TimeEntryRecorder recorder, IPracticeDirectory practices, CancellationToken ct)
    {
        if (await PracticeScope.RefuseAsync(user, practices, "patientId", request.PatientId, ct) is { } outOfScope)
        {
            return outOfScope;
        }

        var caller = user.RosterId();
        var staffId = request.StaffId ?? caller;
        if (staffId != caller && !user.IsAdmin())
        {
            return ApiProblems.Forbidden("staffId", "R-TIME-3", $"staffId {staffId} is not you: only an admin may log time for another staff member; omit staffId to log your own minutes.");
        }

        var draft = new TimeEntryDraft(request.PatientId, request.Program, request.StartedAt, request.Minutes, request.ActivityType, request.Note, request.ConditionsAddressed);
        var entries = await recorder.RecordAsync(staffId, caller, [draft], ct);
        var entry = entries[0];
        return TypedResults.Created($"/api/scheduling/time-entries/{entry.Id}", TimeEntryResponse.From(entry));
    }

    private static async Task<Results<Ok<TimeEntryResponse>, ProblemHttpResult>> VoidAsync(
        Guid entryId, VoidRequest request, ClaimsPrincipal user, SchedulingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return ApiProblems.Unprocessable("reason", "R-TIME-7", "A void needs a reason.");
        }

        var entry = await db.TimeEntries.FirstOrDefaultAsync(e => e.Id == entryId, ct);
        if (entry is null)
        {
            return ApiProblems.NotFound("entryId", $"Time entry {entryId} does not exist.");
        }

        var caller = user.RosterId();
        if (caller != entry.StaffId && caller != entry.RecordedBy && !user.IsAdmin())
        {
            return ApiProblems.Forbidden("Authorization", "R-TIME-7", "Only the staff member, who recorded the entry, or an admin may void it.");
        }

        if (entry.VoidedAt is not null)
        {
            return ApiProblems.Conflict("entryId", "R-TIME-7", "The entry is already voided.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        entry.VoidedAt = now;
        entry.VoidedBy = caller;
        entry.VoidReason = request.Reason.Trim();
        db.Outbox(new TimeEntryVoided(entry.PracticeId, entry.PatientId, entry.Id, caller, entry.VoidReason, now), now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(TimeEntryResponse.From(entry));
    }

    private static async Task<Results<Ok<TimeEntryResponse>, ProblemHttpResult>> GetAsync(Guid entryId, SchedulingDbContext db, CancellationToken ct)
    {
        var entry = await db.TimeEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, ct);
        return entry is null ? ApiProblems.NotFound("entryId", $"Time entry {entryId} does not exist.") : TypedResults.Ok(TimeEntryResponse.From(entry));
    }

    private static async Task<Results<Ok<List<TimeEntryResponse>>, ProblemHttpResult>> ListForPatientAsync(
        Guid patientId, string? month, SchedulingDbContext db, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return ApiProblems.NotFound("patientId", $"Patient {patientId} is not known to Scheduling.");
        }

        var query = db.TimeEntries.AsNoTracking().Where(e => e.PatientId == patientId);
        if (month is not null)
        {
            if (!TimeRules.TryParseMonth(month, out var year, out var m))
            {
                return ApiProblems.BadRequest("month", "MALFORMED_REQUEST", TimeRules.MonthFormat);
            }

            var practice = await db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patient.PracticeId, ct);
            var (start, end) = TimeRules.MonthBounds(year, m, TimeRules.Zone(practice?.TimeZone));
            query = query.Where(e => e.StartedAt >= start && e.StartedAt < end);
        }

        var entries = await query.OrderBy(e => e.StartedAt).ToListAsync(ct);
        return TypedResults.Ok(entries.Select(TimeEntryResponse.From).ToList());
    }
}
