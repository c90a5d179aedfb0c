using System.ComponentModel;
using System.Text.Json;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Scheduling.Consumers;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.Scheduling.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Apis;

public sealed record WorklistRow(
    Guid PatientId,
    string Name,
    [property: Description("Countable minutes so far this month, from Billing's ledger.")] int CountableMinutes,
    int NotCountableMinutes,
    [property: Description("Fewest further staff minutes after which the best payment rises; null = no amount does.")] int? MinutesToNextPaymentStep,
    long BestPaymentCents,
    [property: Description("False until Billing has published a ledger for this patient-month.")] bool LedgerKnown,
    int LoggedMinutes,
    int DaysLeftInMonth,
    DateTime? LastContactAt,
    int OpenTasks,
    [property: Description("Medication interaction alerts neither acknowledged nor resolved.")] int OpenAlerts,
    [property: Description("Why minutes do not count or no payment is possible yet, from Billing's ledger (e.g. NO_INITIATING_VISIT, NO_CONSENT, MINUTES_BEFORE_CONSENT); empty when nothing blocks or no ledger is known.")] List<WorklistReason>? Reasons = null);

public sealed record WorklistReason(string Code, string Text);

public sealed record Worklist(
    Guid PracticeId,
    string Month,
    string TimeZone,
    int DaysLeftInMonth,
    Guid? CoordinatorId,
    string Sort,
    bool Desc,
    int Page,
    int PageSize,
    int TotalCount,
    List<WorklistRow> Patients);

public static class WorklistApi
{
    private static readonly string[] Sorts = ["minutesToNext", "countable", "daysLeft", "name", "lastContact"];

    public static RouteGroupBuilder MapWorklistApi(this RouteGroupBuilder api)
    {
        api.MapGet("/practices/{practiceId:guid}/worklist", GetAsync).RequireAuthorization(Policies.Read)
            .WithSummary("Who still needs minutes this month")
            .WithDescription("Every patient enrolled in the month (or with minutes or a Billing ledger in it), with countable minutes and minutes to the next payment step from Billing's ledger, days left in the practice's time zone, last contact, open tasks and open medication alerts. "
                + "`coordinatorId` narrows to patients that staff member logged time for this month, has an open task for, or has an appointment with. "
                + "`sort` = minutesToNext (default) | countable | daysLeft | name | lastContact, `desc=true` reverses; `page` (from 1) and `pageSize` (1-200, default 50). Served from a Redis cache that events keep fresh.");
        return api;
    }

    /// <summary>
    /// Countable minutes and the next step come from Billing's ledger (LedgerUpdated), never
    /// recomputed here, so the worklist and the claim agree.
    /// </summary>
    private static async Task<Results<Ok<Worklist>, ProblemHttpResult>> GetAsync(
        Guid practiceId, string? month, Guid? coordinatorId, string? sort, bool? desc, int? page, int? pageSize,
        SchedulingDbContext db, WorklistCache cache, TimeProvider clock, CancellationToken ct)
    {
        var sortBy = Sorts.FirstOrDefault(s => s.Equals(sort ?? "minutesToNext", StringComparison.OrdinalIgnoreCase));
        if (sortBy is null)
        {
            return ApiProblems.BadRequest("sort", "MALFORMED_REQUEST", "sort must be one of " + string.Join(", ", Sorts) + ".");
        }

        if (page is < 1)
        {
            return ApiProblems.BadRequest("page", "MALFORMED_REQUEST", "page starts at 1.");
        }

        if (pageSize is < 1 or > 200)
        {
            return ApiProblems.BadRequest("pageSize", "MALFORMED_REQUEST", "pageSize must be 1 to 200.");
        }

        var practice = await db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.Id == practiceId, ct);
        var zone = TimeRules.Zone(practice?.TimeZone);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = TimeRules.LocalDate(now, zone);
        int year, m;
        if (month is null)
        {
            (year, m) = (today.Year, today.Month);
        }
        else if (!TimeRules.TryParseMonth(month, out year, out m))
        {
            return ApiProblems.BadRequest("month", "MALFORMED_REQUEST", TimeRules.MonthFormat);
        }

        // Days left depend on today's date, so the day is part of the key.
        var scope = $"{year:D4}-{m:D2}:{coordinatorId?.ToString() ?? "all"}:{today:yyyy-MM-dd}";
        var (rows, version) = await cache.GetAsync<List<WorklistRow>>(practiceId, scope);
        if (rows is null)
        {
            rows = await ComputeAsync(db, practiceId, coordinatorId, year, m, zone, now, ct);
            await cache.SetAsync(practiceId, scope, version, rows);
        }

        var sorted = Sort(rows, sortBy, desc == true).ToList();
        var size = pageSize ?? 50;
        var number = page ?? 1;
        return TypedResults.Ok(new Worklist(
            practiceId, $"{year:D4}-{m:D2}", zone.Id, TimeRules.DaysLeftInMonth(year, m, now, zone), coordinatorId, sortBy, desc == true,
            number, size, sorted.Count, sorted.Skip((number - 1) * size).Take(size).ToList()));
    }

    private static IEnumerable<WorklistRow> Sort(List<WorklistRow> rows, string sort, bool desc)
    {
        // Nulls ("no amount raises the payment", "never contacted") go last ascending and first descending.
        IOrderedEnumerable<WorklistRow> ordered = sort switch
        {
            "countable" => rows.OrderBy(r => r.CountableMinutes),
            "name" => rows.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase),
            "lastContact" => rows.OrderBy(r => r.LastContactAt is null ? 1 : 0).ThenBy(r => r.LastContactAt),
            "daysLeft" => rows.OrderBy(r => r.DaysLeftInMonth).ThenBy(r => r.MinutesToNextPaymentStep is null ? 1 : 0).ThenBy(r => r.MinutesToNextPaymentStep),
            _ => rows.OrderBy(r => r.MinutesToNextPaymentStep is null ? 1 : 0).ThenBy(r => r.MinutesToNextPaymentStep).ThenBy(r => r.CountableMinutes),
        };
        var list = ordered.ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.PatientId).ToList();
        if (desc)
        {
            list.Reverse();
        }

        return list;
    }

    private static async Task<List<WorklistRow>> ComputeAsync(SchedulingDbContext db, Guid practiceId, Guid? coordinatorId, int year, int m, TimeZoneInfo zone, DateTime now, CancellationToken ct)
    {
        var (start, end) = TimeRules.MonthBounds(year, m, zone);
        var daysLeft = TimeRules.DaysLeftInMonth(year, m, now, zone);
        var patients = await db.Patients.AsNoTracking().Where(p => p.PracticeId == practiceId && p.DiedAt == null && p.DeathDate == null).ToListAsync(ct);
        var ledgers = await db.Ledgers.AsNoTracking().Where(l => l.PracticeId == practiceId && l.Year == year && l.Month == m).ToDictionaryAsync(l => l.PatientId, ct);
        var enrolled = (await db.Enrollments.AsNoTracking()
            .Where(e => e.PracticeId == practiceId && e.EnrolledAt < end && (e.DisenrolledAt == null || e.DisenrolledAt >= start))
            .Select(e => e.PatientId).ToListAsync(ct)).ToHashSet();
        var live = db.TimeEntries.AsNoTracking().Where(e => e.PracticeId == practiceId && e.VoidedAt == null);
        var inMonth = live.Where(e => e.StartedAt >= start && e.StartedAt < end);
        var logged = await inMonth.GroupBy(e => e.PatientId).Select(g => new { g.Key, Minutes = g.Sum(e => e.Minutes) }).ToDictionaryAsync(x => x.Key, x => x.Minutes, ct);
        var lastContact = await live.Where(e => e.StartedAt < end)
            .GroupBy(e => e.PatientId).Select(g => new { g.Key, Last = g.Max(e => e.EndedAt) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);
        var openTasks = await db.Tasks.AsNoTracking().Where(t => t.PracticeId == practiceId && t.PatientId != null && t.CompletedAt == null)
            .Select(t => new { PatientId = t.PatientId!.Value, t.AssigneeId }).ToListAsync(ct);
        var openAlerts = await db.MedicationAlerts.AsNoTracking().Where(a => a.PracticeId == practiceId && a.ClosedAt == null)
            .GroupBy(a => a.PatientId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);

        HashSet<Guid>? mine = null;
        if (coordinatorId is { } staff)
        {
            mine = (await inMonth.Where(e => e.StaffId == staff).Select(e => e.PatientId).Distinct().ToListAsync(ct)).ToHashSet();
            mine.UnionWith(openTasks.Where(t => t.AssigneeId == staff).Select(t => t.PatientId));
            mine.UnionWith(await db.Appointments.AsNoTracking()
                .Where(a => a.PracticeId == practiceId && a.StaffId == staff && a.ScheduledAt >= start && a.ScheduledAt < end)
                .Select(a => a.PatientId).ToListAsync(ct));
        }

        return patients
            .Where(p => enrolled.Contains(p.Id) || ledgers.ContainsKey(p.Id) || logged.ContainsKey(p.Id))
            .Where(p => mine is null || mine.Contains(p.Id))
            .Select(p =>
            {
                ledgers.TryGetValue(p.Id, out var l);
                return new WorklistRow(
                    p.Id, p.Name, l?.CountableMinutes ?? 0, l?.NotCountableMinutes ?? 0, l?.MinutesToNextPaymentStep, l?.BestPaymentCents ?? 0, l is not null,
                    logged.GetValueOrDefault(p.Id), daysLeft, lastContact.TryGetValue(p.Id, out var last) ? last : null,
                    openTasks.Count(t => t.PatientId == p.Id), openAlerts.GetValueOrDefault(p.Id), ReasonsOf(l));
            })
            .ToList();
    }

    private static List<WorklistReason> ReasonsOf(PatientMonthLedger? ledger)
        => ledger?.ReasonsJson is { } json
            ? JsonSerializer.Deserialize<List<WorklistReason>>(json, LedgerUpdatedConsumer.ReasonsJson) ?? []
            : [];
}
