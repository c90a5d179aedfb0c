using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Rules;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Messaging;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace CcmPlatform.Billing.Closing;

public sealed record OutcomeView(
    Guid PatientId,
    string PatientName,
    string Kind,
    Guid? ClaimId,
    IReadOnlyList<string> Reasons,
    string Text,
    string Explanation,
    IReadOnlyList<string> RuleIds,
    bool NeedsReclose,
    System.Text.Json.JsonElement? Details);

public sealed record CloseResult(Guid CloseId, int Claims, int Holds, int NotBillable, long TotalCents, bool Changed, IReadOnlyList<OutcomeView> Outcomes);

public sealed class CloseBusyException() : Exception("Another close of this practice-month is still running.");

/// <summary>
/// Month close (R-CLOSE-1/2): one outcome per patient; claims immutable, replaced by void + new claim.
/// A Redis lock serialises closes of one practice-month across replicas; the unique LiveKey index is the backstop.
/// </summary>
public sealed class MonthCloser(BillingDbContext db, IConnectionMultiplexer redis, TimeProvider clock, ILogger<MonthCloser> log)
{
    private static readonly TimeSpan LockTtl = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(60);

    /// <param name="withOutcomes">False skips re-reading every outcome after the commit (bulk callers, benchmarks).</param>
    public async Task<CloseResult> CloseAsync(Guid practiceId, ServiceMonth month, CancellationToken ct, bool withOutcomes = true)
    {
        var key = $"ccm:billing:close:{practiceId:N}:{month}";
        var token = Guid.NewGuid().ToString("N");
        var redisDb = redis.GetDatabase();
        var deadline = DateTime.UtcNow + LockWait;
        while (!await redisDb.LockTakeAsync(key, token, LockTtl))
        {
            if (DateTime.UtcNow > deadline) throw new CloseBusyException();
            await Task.Delay(100, ct);
        }
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await CloseLockedAsync(practiceId, month, withOutcomes, ct);
                }
                catch (DbUpdateException ex) when (attempt < 3)
                {
                    // Only reachable when a close on a replica without the lock won the unique LiveKey: re-read and converge.
                    log.LogWarning(ex, "Month close {Practice} {Month} lost a race; re-evaluating", practiceId, month);
                    db.ChangeTracker.Clear();
                }
            }
        }
        finally
        {
            await redisDb.LockReleaseAsync(key, token);
        }
    }

    public static async Task<List<Guid>> PatientsInMonthAsync(BillingDbContext db, Guid practiceId, ServiceMonth month, string timeZone, CancellationToken ct)
    {
        var zone = Zones.Find(timeZone);
        var start = month.StartUtc(zone).AddMinutes(-TimeEntryRules.MaxMinutes);
        var end = month.EndUtc(zone);
        var withEntries = await db.TimeEntries.AsNoTracking()
            .Where(e => e.PracticeId == practiceId && e.StartedAt >= start && e.StartedAt < end)
            .Select(e => e.PatientId).Distinct().ToListAsync(ct);
        var tracked = await db.PatientMonths.AsNoTracking()
            .Where(m => m.PracticeId == practiceId && m.Year == month.Year && m.Month == month.Month)
            .Select(m => m.PatientId).ToListAsync(ct);
        var registered = await db.Patients.AsNoTracking().Where(p => p.PracticeId == practiceId).Select(p => p.PatientId).ToListAsync(ct);
        var enrolled = registered.Count == 0
            ? []
            : await db.Enrollments.AsNoTracking().Where(e => registered.Contains(e.PatientId)).Select(e => e.PatientId).Distinct().ToListAsync(ct);
        return withEntries.Concat(tracked).Concat(enrolled).Distinct().ToList();
    }

    /// <summary>R-CLOSE-1: enrolled at any time in the month, or with entries in it.</summary>
    public static bool InScope(PatientFile f, PatientMonthFacts facts)
    {
        if (facts.Enrollments.Any(e => (e.Program is Rules.CareProgram.Ccm or Rules.CareProgram.Pcm or Rules.CareProgram.Apcm) && e.Overlaps(facts.Month))) return true;
        return f.Entries.Any(e => FactsLoader.MonthsOf(e.StartedAt, e.Minutes, f.TimeZone).Contains(facts.Month));
    }

    // Evaluated outcomes are written in slices so a 100k-patient close never holds every explanation at once.
    private const int FlushEvery = 4096;

    private async Task<CloseResult> CloseLockedAsync(Guid practiceId, ServiceMonth month, bool withOutcomes, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var practice = await db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.PracticeId == practiceId, ct);
        var timeZone = practice?.TimeZone ?? FactsLoader.DefaultTimeZone;
        var fees = await FeeScheduleStore.LoadAsync(db, now, ct);
        var mueCaps = await db.MueCaps.AsNoTracking().ToListAsync(ct);
        var mueByPayer = new Dictionary<string, MueTable>(StringComparer.OrdinalIgnoreCase);
        var writer = SqliteCloseWriter.For(db);

        var close = await db.MonthCloses.FindAsync([practiceId, month.Year, month.Month], ct);
        var changed = close is null;
        if (close is null)
        {
            close = new MonthCloseRecord { PracticeId = practiceId, Year = month.Year, Month = month.Month, CloseId = Guid.NewGuid(), FirstClosedAt = now };
            db.MonthCloses.Add(close);
        }
        close.LastClosedAt = now;
        close.Runs++;

        var patientIds = await PatientsInMonthAsync(db, practiceId, month, timeZone, ct);
        // Untracked: every outcome is rewritten below (upsert on SQLite, Update elsewhere); only the kind, reasons and claim matter here.
        var existingOutcomes = await db.Outcomes.AsNoTracking().Where(o => o.PracticeId == practiceId && o.Year == month.Year && o.Month == month.Month)
            .Select(o => new OutcomeRecord { PatientId = o.PatientId, Kind = o.Kind, Reasons = o.Reasons, ClaimId = o.ClaimId })
            .ToDictionaryAsync(o => o.PatientId, ct);
        var liveClaims = await db.Claims.Include(c => c.Lines)
            .Where(c => c.PracticeId == practiceId && c.Year == month.Year && c.Month == month.Month && c.VoidedAt == null)
            .ToDictionaryAsync(c => c.PatientId, ct);
        var files = await FactsLoader.LoadManyAsync(db, practiceId, patientIds, ct);

        var kinds = existingOutcomes.ToDictionary(o => o.Key, o => o.Value.Kind);
        var newClaims = new List<ClaimRecord>();
        var outcomes = new List<OutcomeRecord>();
        var events = new List<object>();
        long newClaimTotal = 0;
        FactsLoader.RosterView? roster = null;

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var patientId in patientIds.Order())
        {
            var file = files[patientId];
            var payer = file.CoverageOn(month.LastDay)?.Payer ?? FeeScheduleStore.DefaultPayer;
            if (!mueByPayer.TryGetValue(payer, out var mue)) mueByPayer[payer] = mue = FeeScheduleStore.Mue(mueCaps, payer);
            if (roster is null || !roster.Fits(file)) roster = new FactsLoader.RosterView(file);
            var facts = FactsLoader.ToFacts(file, month, fees, mue, roster);
            if (!InScope(file, facts)) continue;
            var outcome = BillingEngine.Evaluate(facts);
            existingOutcomes.TryGetValue(patientId, out var previous);
            liveClaims.TryGetValue(patientId, out var live);
            var (kind, reasons, text) = Describe(outcome);
            var explanationText = outcome.Explanation.ToText();
            var explanationJson = ExplanationJson.Serialize(outcome.Explanation);
            var ruleIds = string.Join(';', outcome.Explanation.RulesApplied.Distinct());

            Guid? claimId = null;
            if (outcome is MonthOutcome.Claim claim)
            {
                if (live is not null && Fingerprint(live) == Fingerprint(claim))
                {
                    claimId = live.ClaimId;
                }
                else
                {
                    var created = NewClaim(practiceId, patientId, month, claim, file, now, live?.ClaimId, explanationText, explanationJson, ruleIds);
                    if (live is not null)
                    {
                        Void(live, "replaced at re-close: the patient-month's facts changed (R-CLOSE-2)", now, events, practiceId);
                        liveClaims.Remove(patientId);
                    }
                    newClaims.Add(created);
                    newClaimTotal += created.TotalCents;
                    events.Add(new ClaimCreated(practiceId, patientId, created.ClaimId, month.Year, month.Month, created.Lines.Select(l => l.Code).ToList(), created.TotalCents, now));
                    claimId = created.ClaimId;
                }
            }
            else if (live is not null)
            {
                Void(live, $"re-close outcome is {kind}: {string.Join(", ", reasons)} (R-CLOSE-2)", now, events, practiceId);
                liveClaims.Remove(patientId);
            }

            var reasonsText = string.Join(';', reasons);
            if (outcome is MonthOutcome.Hold && (previous is null || previous.Kind != kind || previous.Reasons != reasonsText))
                events.Add(new ClaimHeld(practiceId, patientId, month.Year, month.Month, reasons, now));

            if (previous is null || previous.Kind != kind || previous.Reasons != reasonsText || previous.ClaimId != claimId) changed = true;
            kinds[patientId] = kind;
            outcomes.Add(new OutcomeRecord
            {
                PatientId = patientId, Year = month.Year, Month = month.Month, PracticeId = practiceId,
                Kind = kind, ClaimId = claimId, Reasons = reasonsText, Text = text,
                ExplanationText = explanationText, ExplanationJson = explanationJson, RuleIds = ruleIds, EvaluatedAt = now,
            });
            if (outcomes.Count >= FlushEvery) await FlushAsync();
        }

        var claimTotal = newClaimTotal + liveClaims.Values.Where(c => c.VoidedAt is null).Sum(c => c.TotalCents);
        var claimsCount = kinds.Values.Count(k => k == "Claim");
        var holds = kinds.Values.Count(k => k == "Hold");
        var notBillable = kinds.Values.Count(k => k == "NotBillable");
        close.NeedsReclose = false;
        await FlushAsync();
        // Staged through EF so the outbox interceptor wakes the relay.
        if (changed) db.Outbox(new MonthClosed(practiceId, month.Year, month.Month, close.CloseId, claimsCount, holds, notBillable, claimTotal, now), now);
        await db.SaveChangesAsync(ct);
        await db.PatientMonths
            .Where(m => m.PracticeId == practiceId && m.Year == month.Year && m.Month == month.Month && m.NeedsReclose && m.ChangedAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NeedsReclose, false), ct);
        await tx.CommitAsync(ct);

        return new CloseResult(close.CloseId, claimsCount, holds, notBillable, claimTotal, changed,
            withOutcomes ? await OutcomesAsync(db, practiceId, month, ct) : []);

        async Task FlushAsync()
        {
            // Voids first, so the replacement can take the patient-month's live key (R-EXCL-2).
            await db.SaveChangesAsync(ct);
            if (writer is not null)
            {
                await writer.InsertAsync(newClaims, upsert: false, ct);
                await writer.InsertAsync(newClaims.SelectMany(c => c.Lines).ToList(), upsert: false, ct);
                await writer.InsertAsync(outcomes, upsert: true, ct);
                await writer.InsertAsync(events.Select(e => OutboxMessage.Create(e, now)).ToList(), upsert: false, ct);
            }
            else
            {
                db.Claims.AddRange(newClaims);
                foreach (var o in outcomes)
                {
                    if (existingOutcomes.ContainsKey(o.PatientId)) db.Outcomes.Update(o);
                    else db.Outcomes.Add(o);
                }
                foreach (var e in events) db.Outbox(e, now);
                await db.SaveChangesAsync(ct);
            }
            newClaims.Clear();
            outcomes.Clear();
            events.Clear();
        }
    }

    public static async Task<List<OutcomeView>> OutcomesAsync(BillingDbContext db, Guid practiceId, ServiceMonth month, CancellationToken ct)
    {
        var rows = await db.Outcomes.AsNoTracking().Where(o => o.PracticeId == practiceId && o.Year == month.Year && o.Month == month.Month).ToListAsync(ct);
        var ids = rows.Select(r => r.PatientId).ToList();
        var names = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.PatientId)).ToDictionaryAsync(p => p.PatientId, p => $"{p.GivenName} {p.FamilyName}".Trim(), ct);
        var reclose = await db.PatientMonths.AsNoTracking()
            .Where(m => m.PracticeId == practiceId && m.Year == month.Year && m.Month == month.Month && m.NeedsReclose)
            .Select(m => m.PatientId).ToListAsync(ct);
        return rows.OrderBy(r => r.PatientId).Select(r => new OutcomeView(
            r.PatientId, names.GetValueOrDefault(r.PatientId, ""), r.Kind, r.ClaimId,
            r.Reasons.Split(';', StringSplitOptions.RemoveEmptyEntries), r.Text, r.ExplanationText,
            r.RuleIds.Split(';', StringSplitOptions.RemoveEmptyEntries), reclose.Contains(r.PatientId), ExplanationJson.Parse(r.ExplanationJson))).ToList();
    }

    private void Void(ClaimRecord live, string reason, DateTime now, List<object> events, Guid practiceId)
    {
        live.VoidedAt = now;
        live.VoidReason = reason;
        live.LiveKey = null;
        events.Add(new ClaimVoided(practiceId, live.PatientId, live.ClaimId, reason, now));
    }

    private static (string Kind, List<string> Reasons, string Text) Describe(MonthOutcome outcome) => outcome switch
    {
        MonthOutcome.Claim c => ("Claim", [], $"{string.Join(" + ", c.Lines.Select(l => l.Units > 1 ? $"{l.Code}×{l.Units}" : l.Code))} {c.TotalCents / 100m:0.00}"),
        MonthOutcome.Hold h => ("Hold", [h.Primary.ToCode(), .. h.Secondary.Select(s => s.ToCode())], h.Detail),
        MonthOutcome.NotBillable n => ("NotBillable", [n.Reason.ToCode(), .. n.Secondary.Select(s => s.ToCode())], n.Text),
        _ => throw new InvalidOperationException("Unknown outcome."),
    };

    private static string Fingerprint(ClaimRecord c) =>
        string.Join('|', c.Program, c.Track, c.DateOfService.ToString("yyyy-MM-dd"), c.BillingNpi, c.Diagnoses, c.TotalCents, c.CoinsuranceCents,
            string.Join(',', c.Lines.OrderBy(l => l.Seq).Select(l => $"{l.Code}x{l.Units}@{l.UnitPriceCents}")));

    private static string Fingerprint(MonthOutcome.Claim c) =>
        string.Join('|', c.Program.ToString(), c.Track.ToString(), c.DateOfService.ToString("yyyy-MM-dd"), c.BillingPractitionerNpi, string.Join(';', c.Diagnoses), c.TotalCents, c.CoinsuranceCents,
            string.Join(',', c.Lines.Select(l => $"{l.Code}x{l.Units}@{l.UnitPriceCents}")));

    private static ClaimRecord NewClaim(Guid practiceId, Guid patientId, ServiceMonth month, MonthOutcome.Claim c, PatientFile file, DateTime now, Guid? replaces,
        string explanationText, string explanationJson, string ruleIds)
    {
        var id = Guid.NewGuid();
        return new ClaimRecord
        {
            ClaimId = id,
            PracticeId = practiceId,
            PatientId = patientId,
            Year = month.Year,
            Month = month.Month,
            LiveKey = ClaimRecord.LiveKeyFor(patientId, month.Year, month.Month),
            Program = c.Program.ToString(),
            Track = c.Track.ToString(),
            DateOfService = c.DateOfService,
            BillingPractitionerId = c.BillingPractitionerId,
            BillingNpi = c.BillingPractitionerNpi,
            PatientName = file.Patient is null ? "" : $"{file.Patient.GivenName} {file.Patient.FamilyName}".Trim(),
            Mbi = file.CoverageOn(c.DateOfService)?.Mbi ?? "",
            Diagnoses = string.Join(';', c.Diagnoses.Take(12)),
            TotalCents = c.TotalCents,
            CoinsuranceCents = c.CoinsuranceCents,
            ExplanationText = explanationText,
            ExplanationJson = explanationJson,
            RuleIds = ruleIds,
            CreatedAt = now,
            ReplacesClaimId = replaces,
            Lines = c.Lines.Select((l, i) => new ClaimLineRecord { ClaimId = id, Seq = i + 1, Code = l.Code, Units = l.Units, UnitPriceCents = l.UnitPriceCents, AmountCents = l.AmountCents }).ToList(),
        };
    }
}
