using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.Scheduling.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Apis;

public sealed record WorklistRow(
    Guid PatientId,
    string Name,
    int CountableMinutes,
    int NotCountableMinutes,
    int? MinutesToNextPaymentStep,
    long BestPaymentCents,
    bool LedgerKnown,
    int LoggedMinutes,
    int DaysLeftInMonth,
    DateTime? LastContactAt);

public sealed record Worklist(Guid PracticeId, string Month, string TimeZone, int DaysLeftInMonth, List<WorklistRow> Patients);

public static class WorklistApi
{
    public static RouteGroupBuilder MapWorklistApi(this RouteGroupBuilder api)
    {
        api.MapGet("/practices/{practiceId:guid}/worklist", GetAsync).RequireAuthorization(Policies.Read);
        return api;
    }

    /// <summary>
    /// Countable minutes and the next step come from Billing's ledger (LedgerUpdated), never
    /// recomputed here, so the worklist and the claim agree. Patients short of their next step first.
    /// </summary>
    private static async Task<Results<Ok<Worklist>, ProblemHttpResult>> GetAsync(Guid practiceId, string? month, SchedulingDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var practice = await db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.Id == practiceId, ct);
        var zone = TimeRules.Zone(practice?.TimeZone);
        var now = clock.GetUtcNow().UtcDateTime;
        int year, m;
        if (month is null)
        {
            var today = TimeRules.LocalDate(now, zone);
            (year, m) = (today.Year, today.Month);
        }
        else if (!TimeRules.TryParseMonth(month, out year, out m))
        {
            return ApiProblems.BadRequest("month", "MALFORMED_REQUEST", "month must be yyyy-MM.");
        }

        var (start, end) = TimeRules.MonthBounds(year, m, zone);
        var daysLeft = TimeRules.DaysLeftInMonth(year, m, now, zone);
        var patients = await db.Patients.AsNoTracking().Where(p => p.PracticeId == practiceId && p.DiedAt == null && p.DeathDate == null).ToListAsync(ct);
        var ledgers = await db.Ledgers.AsNoTracking().Where(l => l.PracticeId == practiceId && l.Year == year && l.Month == m).ToDictionaryAsync(l => l.PatientId, ct);
        var live = db.TimeEntries.AsNoTracking().Where(e => e.PracticeId == practiceId && e.VoidedAt == null);
        var logged = await live.Where(e => e.StartedAt >= start && e.StartedAt < end)
            .GroupBy(e => e.PatientId).Select(g => new { g.Key, Minutes = g.Sum(e => e.Minutes) }).ToDictionaryAsync(x => x.Key, x => x.Minutes, ct);
        var lastContact = await live.Where(e => e.StartedAt < end)
            .GroupBy(e => e.PatientId).Select(g => new { g.Key, Last = g.Max(e => e.EndedAt) }).ToDictionaryAsync(x => x.Key, x => x.Last, ct);

        var rows = patients.Select(p =>
        {
            ledgers.TryGetValue(p.Id, out var l);
            return new WorklistRow(
                p.Id, p.Name, l?.CountableMinutes ?? 0, l?.NotCountableMinutes ?? 0, l?.MinutesToNextPaymentStep, l?.BestPaymentCents ?? 0, l is not null,
                logged.GetValueOrDefault(p.Id), daysLeft, lastContact.TryGetValue(p.Id, out var last) ? last : null);
        })
        .OrderBy(r => r.MinutesToNextPaymentStep is null ? 1 : 0)
        .ThenBy(r => r.MinutesToNextPaymentStep)
        .ThenBy(r => r.CountableMinutes)
        .ToList();
        return TypedResults.Ok(new Worklist(practiceId, $"{year:D4}-{m:D2}", zone.Id, daysLeft, rows));
    }
}
