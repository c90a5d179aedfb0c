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

public sealed record StartTimerRequest(Guid PatientId, CareProgram Program, string? ActivityType, DateTime? StartedAt);

public sealed record StopTimerRequest(DateTime? StoppedAt, string? Note, List<string>? ConditionsAddressed);

public sealed record TimerResponse(Guid StaffId, Guid PatientId, CareProgram Program, string ActivityType, DateTime StartedAt, int ElapsedMinutes)
{
    public static TimerResponse From(RunningTimer t, DateTime now) => new(t.StaffId, t.PatientId, t.Program, t.ActivityType, t.StartedAt, Math.Max(0, TimeRules.ElapsedWholeMinutes(t.StartedAt, now)));
}

public static class TimersApi
{
    public static RouteGroupBuilder MapTimersApi(this RouteGroupBuilder api)
    {
        var timers = api.MapGroup("/timers").RequireAuthorization(Policies.Clinical);
        timers.MapPost("/start", StartAsync).WithSummary("Start the caller's timer (one per staff member, kept in Redis).")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "The patient is not known to Scheduling, or belongs to another practice.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "A timer is already running for the caller (R-TIME-6).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "startedAt is in the future, or activityType is missing.");
        timers.MapPost("/stop", StopAsync).WithSummary("Stop the timer and record whole minutes (<1 refused, >240 asks for a split).")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No timer is running for the caller.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "The resulting entry overlaps another entry of the caller (R-TIME-6).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "The timer ran under one minute, over 240 (split it instead) or over 24 hours (no split: fix stoppedAt or discard), stoppedAt is in the future, note is missing (R-TIME-7), or a condition is not ICD-10-CM.");
        timers.MapPost("/split", SplitAsync).WithSummary("Stop a long timer by splitting it into several entries (Location: the first; each is at /api/scheduling/time-entries/{id}).")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No timer is running for the caller.")
            .ProducesProblemWhen(StatusCodes.Status409Conflict, "A resulting entry overlaps another entry of the caller (R-TIME-6).")
            .ProducesProblemWhen(StatusCodes.Status422UnprocessableEntity, "stoppedAt is in the future, the timer ran under one minute or over 24 hours (R-TIME-6), note is missing (R-TIME-7), or a condition is not ICD-10-CM.");
        timers.MapGet("/current", CurrentAsync).WithSummary("The caller's running timer.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No timer is running for the caller.");
        timers.MapDelete("/current", DiscardAsync).WithSummary("Discard the caller's running timer without recording.")
            .ProducesProblemWhen(StatusCodes.Status404NotFound, "No timer is running for the caller.");
        return api;
    }

    private static async Task<Results<Created<TimerResponse>, ProblemHttpResult>> StartAsync(
        StartTimerRequest request, ClaimsPrincipal user, TimerStore timers, SchedulingDbContext db, IPracticeDirectory practices, TimeProvider clock, CancellationToken ct)
    {
        if (await PracticeScope.RefuseAsync(user, practices, "patientId", request.PatientId, ct) is { } outOfScope)
        {
            return outOfScope;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var startedAt = request.StartedAt is { } s ? TimeRules.AsUtc(s) : now;
        if (startedAt == default)
        {
            return ApiProblems.Unprocessable("startedAt", "R-TIME-6", TimeRules.DefaultStartMessage);
        }

        if (startedAt > now)
        {
            return ApiProblems.Unprocessable("startedAt", "R-FACT-1", "startedAt is in the future.");
        }

        if (string.IsNullOrWhiteSpace(request.ActivityType))
        {
            return ApiProblems.Unprocessable("activityType", "R-TIME-7", "activityType is required.");
        }

        if (!await db.Patients.AnyAsync(p => p.Id == request.PatientId, ct))
        {
            return ApiProblems.NotFound("patientId", $"Patient {request.PatientId} is not known to Scheduling.");
        }

        // A timer started inside an existing entry could never be stopped (the entry would overlap), so refuse it now.
        var staffId = user.RosterId();
        var clash = await db.TimeEntries.AsNoTracking()
            .Where(e => e.StaffId == staffId && e.VoidedAt == null && e.StartedAt <= startedAt && e.EndedAt > startedAt)
            .Select(e => new { e.Id, e.StartedAt, e.Minutes })
            .FirstOrDefaultAsync(ct);
        if (clash is not null)
        {
            return ApiProblems.Conflict("startedAt", "R-TIME-6", $"startedAt falls inside your entry {clash.Id} from {clash.StartedAt:yyyy-MM-ddTHH:mm}Z for {clash.Minutes} minutes; entries of one staff member may not overlap.");
        }

        var timer = new RunningTimer(staffId, request.PatientId, request.Program, request.ActivityType.Trim(), startedAt, now);
        if (!await timers.TryStartAsync(timer))
        {
            return ApiProblems.Conflict("timer", "R-TIME-6", "A timer is already running for you; stop, split or discard it first.");
        }

        return TypedResults.Created("/api/scheduling/timers/current", TimerResponse.From(timer, now));
    }

    private static async Task<Results<Created<TimeEntryResponse>, ProblemHttpResult>> StopAsync(
        StopTimerRequest request, ClaimsPrincipal user, TimerStore timers, TimeEntryRecorder recorder, TimeProvider clock, CancellationToken ct)
    {
        var staffId = user.RosterId();
        var timer = await timers.GetAsync(staffId);
        if (timer is null)
        {
            return ApiProblems.NotFound("timer", "No timer is running for you.");
        }

        var (minutes, stoppedAt, problem) = Measure(timer, request.StoppedAt, clock);
        if (problem is not null)
        {
            return problem;
        }

        if (minutes > TimeRules.MaxMinutes)
        {
            // Nothing is recorded and the timer stays, so the user can confirm the split or discard it.
            var split = TimeRules.ProposeSplit(timer.StartedAt, minutes);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The request breaks a rule.",
                detail: $"The timer ran {minutes} minutes; an entry holds at most {TimeRules.MaxMinutes}. Confirm the proposed split with POST /api/scheduling/timers/split or discard the timer.",
                extensions: new Dictionary<string, object?>
                {
                    ["rule"] = "R-TIME-6",
                    ["errors"] = new Dictionary<string, string[]> { ["stoppedAt"] = [$"The timer ran {minutes} minutes, over {TimeRules.MaxMinutes}."] },
                    ["totalMinutes"] = minutes,
                    ["stoppedAt"] = stoppedAt,
                    ["proposedSplit"] = split.Select(p => new { startedAt = p.StartedAt, minutes = p.Minutes }).ToList(),
                });
        }

        var entries = await RecordOrExplainAsync(recorder, staffId, [Draft(timer, timer.StartedAt, minutes, request)], ct);
        await timers.RemoveAsync(staffId);
        return TypedResults.Created($"/api/scheduling/time-entries/{entries[0].Id}", TimeEntryResponse.From(entries[0]));
    }

    private static async Task<Results<Created<List<TimeEntryResponse>>, ProblemHttpResult>> SplitAsync(
        StopTimerRequest request, ClaimsPrincipal user, TimerStore timers, TimeEntryRecorder recorder, TimeProvider clock, CancellationToken ct)
    {
        var staffId = user.RosterId();
        var timer = await timers.GetAsync(staffId);
        if (timer is null)
        {
            return ApiProblems.NotFound("timer", "No timer is running for you.");
        }

        var (minutes, _, problem) = Measure(timer, request.StoppedAt, clock);
        if (problem is not null)
        {
            return problem;
        }

        var drafts = TimeRules.ProposeSplit(timer.StartedAt, minutes).Select(p => Draft(timer, p.StartedAt, p.Minutes, request)).ToList();
        var entries = await RecordOrExplainAsync(recorder, staffId, drafts, ct);
        await timers.RemoveAsync(staffId);
        // There is no collection of just these entries to point at; the first one is a readable record, as a stop's is.
        return TypedResults.Created($"/api/scheduling/time-entries/{entries[0].Id}", entries.Select(TimeEntryResponse.From).ToList());
    }

    private static async Task<Results<Ok<TimerResponse>, ProblemHttpResult>> CurrentAsync(ClaimsPrincipal user, TimerStore timers, TimeProvider clock)
    {
        var timer = await timers.GetAsync(user.RosterId());
        return timer is null ? ApiProblems.NotFound("timer", "No timer is running for you.") : TypedResults.Ok(TimerResponse.From(timer, clock.GetUtcNow().UtcDateTime));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DiscardAsync(ClaimsPrincipal user, TimerStore timers)
        => await timers.RemoveAsync(user.RosterId()) ? TypedResults.NoContent() : ApiProblems.NotFound("timer", "No timer is running for you.");

    /// <summary>
    /// An entry logged by hand while the timer ran can make the timer's interval overlap; the timer
    /// stays, so tell the user how to get out instead of leaving them with a bare 409.
    /// </summary>
    private static async Task<IReadOnlyList<TimeEntry>> RecordOrExplainAsync(TimeEntryRecorder recorder, Guid staffId, IReadOnlyList<TimeEntryDraft> drafts, CancellationToken ct)
    {
        try
        {
            return await recorder.RecordAsync(staffId, staffId, drafts, ct);
        }
        catch (RuleViolationException e) when (e.Status == StatusCodes.Status409Conflict)
        {
            throw RuleViolationException.Conflict(e.Field, e.Rule, $"{e.Message} The timer is still running: stop it earlier with stoppedAt before the other entry, or discard it with DELETE /api/scheduling/timers/current.");
        }
    }

    /// <summary>The longest a timer may run and still be stopped or split into entries (six of 240 minutes).</summary>
    private static readonly TimeSpan MaxTimerSpan = TimeSpan.FromHours(24);

    private static (int Minutes, DateTime StoppedAt, ProblemHttpResult? Problem) Measure(RunningTimer timer, DateTime? requested, TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stoppedAt = requested is { } r ? TimeRules.AsUtc(r) : now;
        if (stoppedAt > now)
        {
            return (0, stoppedAt, ApiProblems.Unprocessable("stoppedAt", "R-FACT-1", "stoppedAt is in the future."));
        }

        // Said apart from "under a minute": a stop before the start is a wrong stoppedAt, not a short timer.
        if (stoppedAt < timer.StartedAt)
        {
            return (0, stoppedAt, ApiProblems.Unprocessable("stoppedAt", "R-TIME-6", $"stoppedAt {stoppedAt:yyyy-MM-ddTHH:mm:ss}Z is before the timer's startedAt {timer.StartedAt:yyyy-MM-ddTHH:mm:ss}Z; a timer stops after it starts. Send a later stoppedAt, or omit it to stop now."));
        }

        // No session of work runs past a day: a longer timer was started with a mistyped date (2016 for 2026) or left
        // running, and splitting it would record thousands of 240-minute entries across months already closed.
        if (stoppedAt - timer.StartedAt > MaxTimerSpan)
        {
            return (0, stoppedAt, ApiProblems.Unprocessable("stoppedAt", "R-TIME-6",
                $"The timer started {timer.StartedAt:yyyy-MM-ddTHH:mm}Z, more than {MaxTimerSpan.TotalHours:0} hours before {stoppedAt:yyyy-MM-ddTHH:mm}Z; no split is offered. Send stoppedAt at the real end of the work, or discard the timer with DELETE /api/scheduling/timers/current and log the minutes by hand."));
        }

        var minutes = TimeRules.ElapsedWholeMinutes(timer.StartedAt, stoppedAt);
        if (minutes < TimeRules.MinMinutes)
        {
            return (minutes, stoppedAt, ApiProblems.Unprocessable("stoppedAt", "R-TIME-6", "The timer ran less than one whole minute; nothing to record. Keep it running or discard it."));
        }

        return (minutes, stoppedAt, null);
    }

    private static TimeEntryDraft Draft(RunningTimer timer, DateTime startedAt, int minutes, StopTimerRequest request)
        => new(timer.PatientId, timer.Program, startedAt, minutes, timer.ActivityType, request.Note, request.ConditionsAddressed);
}
