using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Rules;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Messaging;
using System.Threading.Channels;
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

    /// <summary>The checkpoint the last close of this instance started after its commit (SQLite), for callers that time it.</summary>
    public SqliteCloseWriter.CheckpointDeferral? LastCheckpoint { get; private set; }

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
        // No DISTINCT in SQL here or below: SQLite builds a temp B-tree of 36-character keys for it, which costs more than
        // reading the duplicates and dropping them in the HashSet of the final Distinct.
        var withEntries = await db.TimeEntries.AsNoTracking()
            .Where(e => e.PracticeId == practiceId && e.StartedAt >= start && e.StartedAt < end)
            .Select(e => e.PatientId).ToListAsync(ct);
        var tracked = await db.PatientMonths.AsNoTracking()
            .Where(m => m.PracticeId == practiceId && m.Year == month.Year && m.Month == month.Month)
            .Select(m => m.PatientId).ToListAsync(ct);
        // A subquery, not a parameter list: 100k ids as one JSON parameter cost more than the join.
        var registered = db.Patients.Where(p => p.PracticeId == practiceId).Select(p => p.PatientId);
        var enrolled = await db.Enrollments.AsNoTracking().Where(e => registered.Contains(e.PatientId)).Select(e => e.PatientId).ToListAsync(ct);
        return withEntries.Concat(tracked).Concat(enrolled).Distinct().ToList();
    }

    /// <summary>R-CLOSE-1: enrolled at any time in the month, or with entries in it.</summary>
    public static bool InScope(PatientFile f, PatientMonthFacts facts)
    {
        // Loops, not LINQ: called for every patient of a close.
        foreach (var e in facts.Enrollments)
            if ((e.Program is Rules.CareProgram.Ccm or Rules.CareProgram.Pcm or Rules.CareProgram.Apcm) && e.Overlaps(facts.Month)) return true;
        var zone = Zones.Find(f.TimeZone);
        foreach (var e in f.Entries)
        {
            // FactsLoader.MonthsOf without its iterator: the first and last local month the entry touches.
            if (Zones.MonthOf(e.StartedAt, zone) == facts.Month || Zones.MonthOf(e.StartedAt.AddMinutes(Math.Max(0, e.Minutes - 1)), zone) == facts.Month) return true;
        }
        return false;
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
        // Untracked: only the few claims a re-close voids get attached, so SaveChanges never scans 100k claims.
        // Without the explanation columns: a void attaches the claim and writes only the void columns.
        var liveClaims = await db.Claims.AsNoTracking()
            .Where(c => c.PracticeId == practiceId && c.Year == month.Year && c.Month == month.Month && c.VoidedAt == null)
            .Select(c => new ClaimRecord
            {
                ClaimId = c.ClaimId, PracticeId = c.PracticeId, PatientId = c.PatientId, Year = c.Year, Month = c.Month, LiveKey = c.LiveKey,
                Program = c.Program, Track = c.Track, DateOfService = c.DateOfService, BillingPractitionerId = c.BillingPractitionerId,
                BillingNpi = c.BillingNpi, PatientName = c.PatientName, Mbi = c.Mbi, Diagnoses = c.Diagnoses, TotalCents = c.TotalCents,
                CoinsuranceCents = c.CoinsuranceCents, RuleIds = c.RuleIds, CreatedAt = c.CreatedAt, ReplacesClaimId = c.ReplacesClaimId,
                Lines = c.Lines.ToList(),
            })
            .ToDictionaryAsync(c => c.PatientId, ct);

        var kinds = existingOutcomes.ToDictionary(o => o.Key, o => o.Value.Kind);
        var newClaims = new List<ClaimRecord>();
        var outcomes = new List<OutcomeRecord>();
        var events = new List<object>();
        long newClaimTotal = 0;
        FactsLoader.RosterView? roster = null;

        // Facts load, are evaluated, written and dropped a slice at a time: a slice's facts die young instead of a whole
        // practice's 1.2M rows being promoted and held to the end (peak working set, GC time).
        var ordered = patientIds.Order().ToArray();
        var practitioners = await db.Roster.AsNoTracking().Where(r => r.Kind == nameof(RosterKind.Practitioner)).ToListAsync(ct);
        var evaluated = new Evaluated?[Math.Min(FlushEvery, ordered.Length)];
        var zone = Zones.Find(timeZone);
        var entriesWindow = (month.StartUtc(zone).AddMinutes(-TimeEntryRules.MaxMinutes), month.EndUtc(zone));

        // Other providers read through EF, where each read covers the whole practice: one load, dropped a slice at a time.
        var allFiles = writer is null ? await FactsLoader.LoadManyAsync(db, practiceId, ordered, practitioners, ct, entriesWindow) : null;
        // Declared before the transaction, so it is disposed after the commit: the checkpoint runs once the claims are committed.
        await using var deferral = writer is null ? null : await writer.DeferCheckpointAsync(log, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // On a file in WAL mode, slice n+1's facts are read on a second connection while slice n is evaluated and written on
        // this one: the reads are a single thread's work, and otherwise nothing else runs while they do. Opened after the write
        // transaction began, so it reads the facts that transaction would (see OpenReaderAsync).
        await using var reader = writer is null ? null : await writer.OpenReaderAsync(ct);
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Channel<Dictionary<Guid, PatientFile>>? slices = null;
        Task? producer = null;
        if (reader is not null)
        {
            // One slice waiting and one being read at most: the memory stays a few slices' facts.
            slices = Channel.CreateBounded<Dictionary<Guid, PatientFile>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
            var practiceFact = await db.Practices.AsNoTracking().FirstOrDefaultAsync(p => p.PracticeId == practiceId, ct);
            producer = Task.Run(async () =>
            {
                try
                {
                    for (var from = 0; from < ordered.Length; from += FlushEvery)
                    {
                        var slice = new ArraySegment<Guid>(ordered, from, Math.Min(FlushEvery, ordered.Length - from));
                        await slices.Writer.WriteAsync(await FactsLoader.ReadSliceAsync(reader, practiceId, practiceFact, slice, practitioners, entriesWindow, stopReading.Token), stopReading.Token);
                    }
                    slices.Writer.Complete();
                }
                catch (Exception ex)
                {
                    slices.Writer.Complete(ex);
                }
            }, CancellationToken.None);
        }
        try
        {
            for (var from = 0; from < ordered.Length; from += FlushEvery)
            {
                var count = Math.Min(FlushEvery, ordered.Length - from);
                Dictionary<Guid, PatientFile> files;
                if (slices is not null)
                {
                    files = await NextSliceAsync(slices.Reader);
                    // Patients with entries but not registered with the practice: read alone, on this connection (EF).
                    for (var i = 0; i < count; i++)
                        if (!files.ContainsKey(ordered[from + i])) files[ordered[from + i]] = await FactsLoader.LoadAsync(db, ordered[from + i], ct);
                }
                else
                {
                    files = allFiles ?? await FactsLoader.LoadManyAsync(db, practiceId, new ArraySegment<Guid>(ordered, from, count), practitioners, ct, entriesWindow);
                }
                for (var i = 0; i < count; i++)
                {
                    var file = files[ordered[from + i]];
                    var payer = file.CoverageOn(month.LastDay)?.Payer ?? FeeScheduleStore.DefaultPayer;
                    if (!mueByPayer.ContainsKey(payer)) mueByPayer[payer] = FeeScheduleStore.Mue(mueCaps, payer);
                    if (roster is null && file.Practice?.PracticeId == practiceId) roster = new FactsLoader.RosterView(file);
                }
                // The pure part (facts, engine, explanation JSON) is most of the CPU: spread it over the cores.
                Parallel.For(0, count, new ParallelOptions { CancellationToken = ct }, i =>
                    evaluated[i] = Evaluate(files[ordered[from + i]], month, fees, mueByPayer, roster));
                for (var i = 0; i < count; i++)
                {
                    if (evaluated[i] is not { } ev) continue;
                    evaluated[i] = null;
                    Decide(ordered[from + i], files[ordered[from + i]], ev);
                }
                // Written below and no longer needed: let the GC have this slice's facts.
                if (allFiles is not null) for (var i = 0; i < count; i++) allFiles.Remove(ordered[from + i]);
                await FlushAsync();
            }
        }
        finally
        {
            // The reader must be idle before its connection is disposed (a lost LiveKey race retries the whole close).
            await stopReading.CancelAsync();
            if (producer is not null) await producer;
            // Closed before the commit: an open read snapshot would keep the commit's checkpoint from copying this close's
            // pages into the database, leaving a WAL of hundreds of MB for a later writer to checkpoint.
            if (reader is not null) await reader.DisposeAsync();
        }

        static async Task<Dictionary<Guid, PatientFile>> NextSliceAsync(ChannelReader<Dictionary<Guid, PatientFile>> from)
        {
            try
            {
                return await from.ReadAsync();
            }
            catch (ChannelClosedException ex) when (ex.InnerException is not null)
            {
                // The reader's own failure, not the channel's.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }

        void Decide(Guid patientId, PatientFile file, Evaluated ev)
        {
            var (outcome, kind, reasons, text, explanationJson, ruleIds) = ev;
            existingOutcomes.TryGetValue(patientId, out var previous);
            liveClaims.TryGetValue(patientId, out var live);

            Guid? claimId = null;
            if (outcome is MonthOutcome.Claim claim)
            {
                if (live is not null && (Fingerprint(live) == Fingerprint(claim)
                    // An early-released claim keeps its earlier date of service while the month-end outcome bills the same (R-CLOSE-3).
                    || (IsEarlyRelease(live) && Substance(live) == Substance(claim))))
                {
                    claimId = live.ClaimId;
                }
                else
                {
                    var created = NewClaim(practiceId, patientId, month, claim, file, now, live?.ClaimId, explanationJson, ruleIds);
                    if (live is not null)
                    {
                        Void(live, IsEarlyRelease(live)
                            ? "replaced at month-end close: the month bills differently from the early release (R-CLOSE-3)"
                            : "replaced at re-close: the patient-month's facts changed (R-CLOSE-2)", now, events, practiceId);
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
                Void(live, $"re-close outcome is {kind}: {string.Join(", ", reasons)} ({(IsEarlyRelease(live) ? "R-CLOSE-3" : "R-CLOSE-2")})", now, events, practiceId);
                liveClaims.Remove(patientId);
            }

            var reasonsText = string.Join(';', reasons);
            if (outcome is MonthOutcome.Hold && (previous is null || previous.Kind != kind || previous.Reasons != reasonsText))
                events.Add(new ClaimHeld(practiceId, patientId, month.Year, month.Month, reasons, now));

            if (previous is null || previous.Kind != kind || previous.Reasons != reasonsText || previous.ClaimId != claimId) changed = true;
            kinds[patientId] = kind;
            // A claim created by this close carries the explanation; its outcome points to it instead of storing the same
            // 1-3 KB of JSON a second time (read back through the claim in OutcomesAsync). The text is never stored: readers
            // render it from the JSON (ExplanationJson.Text).
            if (newClaims.Count > 0 && newClaims[^1].ClaimId == claimId) explanationJson = "";
            outcomes.Add(new OutcomeRecord
            {
                PatientId = patientId, Year = month.Year, Month = month.Month, PracticeId = practiceId,
                Kind = kind, ClaimId = claimId, Reasons = reasonsText, Text = text,
                ExplanationText = "", ExplanationJson = explanationJson, RuleIds = ruleIds, EvaluatedAt = now,
            });
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
        if (deferral is not null) LastCheckpoint = deferral;

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
                var ob = events.Select(e => OutboxMessage.Create(e, now)).Select(m => new OutboxMessage
                {
                    // Create stamps every row of the close with one instant, so its ids sort randomly; time-ordered
                    // ids keep index appends sequential and let the relay publish in the order the close staged them.
                    Id = Guid.CreateVersion7(), MessageType = m.MessageType, Payload = m.Payload, CreatedAt = m.CreatedAt, NextAttemptAt = m.NextAttemptAt,
                }).ToList();
                await writer.InsertAsync(ob, upsert: false, ct);
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

    private sealed record Evaluated(MonthOutcome Outcome, string Kind, List<string> Reasons, string Text, string ExplanationJson, string RuleIds);

    /// <summary>Pure and thread-safe: one patient's facts to its outcome with the texts the close stores.</summary>
    private static Evaluated? Evaluate(PatientFile file, ServiceMonth month, FeeSchedules fees, Dictionary<string, MueTable> mueByPayer, FactsLoader.RosterView? roster)
    {
        var payer = file.CoverageOn(month.LastDay)?.Payer ?? FeeScheduleStore.DefaultPayer;
        var facts = FactsLoader.ToFacts(file, month, fees, mueByPayer[payer], roster);
        if (!InScope(file, facts)) return null;
        var outcome = BillingEngine.Evaluate(facts);
        var (kind, reasons, text) = Describe(outcome);
        return new Evaluated(outcome, kind, reasons, text, ExplanationJson.Serialize(outcome.Explanation),
            string.Join(';', outcome.Explanation.RulesApplied.Distinct()));
    }

    public static async Task<List<OutcomeView>> OutcomesAsync(BillingDbContext db, Guid practiceId, ServiceMonth month, CancellationToken ct)
    {
        var rows = await db.Outcomes.AsNoTracking().Where(o => o.PracticeId == practiceId && o.Year == month.Year && o.Month == month.Month).ToListAsync(ct);
        var ids = rows.Select(r => r.PatientId).ToList();
        var names = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.PatientId)).ToDictionaryAsync(p => p.PatientId, p => $"{p.GivenName} {p.FamilyName}".Trim(), ct);
        var reclose = (await db.PatientMonths.AsNoTracking()
            .Where(m => m.PracticeId == practiceId && m.Year == month.Year && m.Month == month.Month && m.NeedsReclose)
            .Select(m => m.PatientId).ToListAsync(ct)).ToHashSet();
        // Outcomes whose claim was created by the close keep their explanation on the claim only (stored once).
        var fromClaims = rows.Any(r => r.ClaimId is not null && r.ExplanationJson.Length == 0)
            ? await db.Claims.AsNoTracking().Where(c => c.PracticeId == practiceId && c.Year == month.Year && c.Month == month.Month && c.VoidedAt == null)
                .Select(c => new { c.ClaimId, c.ExplanationText, c.ExplanationJson }).ToDictionaryAsync(c => c.ClaimId, ct)
            : null;
        return rows.OrderBy(r => r.PatientId).Select(r =>
        {
            var (text, json) = (r.ExplanationText, r.ExplanationJson);
            if (json.Length == 0 && r.ClaimId is { } id && fromClaims is not null && fromClaims.TryGetValue(id, out var c)) (text, json) = (c.ExplanationText, c.ExplanationJson);
            return new OutcomeView(
                r.PatientId, names.GetValueOrDefault(r.PatientId, ""), r.Kind, r.ClaimId,
                r.Reasons.Split(';', StringSplitOptions.RemoveEmptyEntries), r.Text, ExplanationJson.Text(text, json),
                r.RuleIds.Split(';', StringSplitOptions.RemoveEmptyEntries), reclose.Contains(r.PatientId), ExplanationJson.Parse(json));
        }).ToList();
    }

    private void Void(ClaimRecord live, string reason, DateTime now, List<object> events, Guid practiceId)
    {
        if (db.Entry(live).State == EntityState.Detached) db.Claims.Attach(live);
        live.VoidedAt = now;
        live.VoidReason = reason;
        live.LiveKey = null;
        events.Add(new ClaimVoided(practiceId, live.PatientId, live.ClaimId, reason, now));
    }

    internal static (string Kind, List<string> Reasons, string Text) Describe(MonthOutcome outcome) => outcome switch
    {
        MonthOutcome.Claim c => ("Claim", [], $"{string.Join(" + ", c.Lines.Select(l => l.Units > 1 ? $"{l.Code}×{l.Units}" : l.Code))} {c.TotalCents / 100m:0.00}"),
        MonthOutcome.Hold h => ("Hold", [h.Primary.ToCode(), .. h.Secondary.Select(s => s.ToCode())], h.Detail),
        MonthOutcome.NotBillable n => ("NotBillable", [n.Reason.ToCode(), .. n.Secondary.Select(s => s.ToCode())], n.Text),
        _ => throw new InvalidOperationException("Unknown outcome."),
    };

    internal static bool IsEarlyRelease(ClaimRecord c) =>
        c.RuleIds.Split(';').Contains(RuleCatalog.Close3, StringComparer.Ordinal);

    private static string Substance(ClaimRecord c) =>
        string.Join('|', c.Program, c.Track, c.BillingNpi, c.TotalCents,
            string.Join(',', c.Lines.OrderBy(l => l.Seq).Select(l => $"{l.Code}x{l.Units}@{l.UnitPriceCents}")));

    private static string Substance(MonthOutcome.Claim c) =>
        string.Join('|', c.Program.ToString(), c.Track.ToString(), c.BillingPractitionerNpi, c.TotalCents,
            string.Join(',', c.Lines.Select(l => $"{l.Code}x{l.Units}@{l.UnitPriceCents}")));

    private static string Fingerprint(ClaimRecord c) =>
        string.Join('|', c.Program, c.Track, c.DateOfService.ToString("yyyy-MM-dd"), c.BillingNpi, c.Diagnoses, c.TotalCents, c.CoinsuranceCents,
            string.Join(',', c.Lines.OrderBy(l => l.Seq).Select(l => $"{l.Code}x{l.Units}@{l.UnitPriceCents}")));

    private static string Fingerprint(MonthOutcome.Claim c) =>
        string.Join('|', c.Program.ToString(), c.Track.ToString(), c.DateOfService.ToString("yyyy-MM-dd"), c.BillingPractitionerNpi, string.Join(';', c.Diagnoses), c.TotalCents, c.CoinsuranceCents,
            string.Join(',', c.Lines.Select(l => $"{l.Code}x{l.Units}@{l.UnitPriceCents}")));

    internal static ClaimRecord NewClaim(Guid practiceId, Guid patientId, ServiceMonth month, MonthOutcome.Claim c, PatientFile file, DateTime now, Guid? replaces,
        string explanationJson, string ruleIds)
    {
        // Time-ordered ids append to the primary-key index instead of splitting random pages (100k claims per close).
        var id = Guid.CreateVersion7();
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
            // Not stored: rendered from the JSON when shown (ExplanationJson.Text).
            ExplanationText = "",
            ExplanationJson = explanationJson,
            RuleIds = ruleIds,
            CreatedAt = now,
            ReplacesClaimId = replaces,
            Lines = c.Lines.Select((l, i) => new ClaimLineRecord { ClaimId = id, Seq = i + 1, Code = l.Code, Units = l.Units, UnitPriceCents = l.UnitPriceCents, AmountCents = l.AmountCents }).ToList(),
        };
    }
}
