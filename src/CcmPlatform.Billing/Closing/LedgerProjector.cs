using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Rules;
using CcmPlatform.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Closing;

/// <summary>
/// Recomputes dirty patient-months with the engine's ledger summary and publishes LedgerUpdated through the
/// outbox, so the worklist and the claim never disagree. The Version token makes a concurrent fact win:
/// the row stays dirty and is recomputed on the next pass.
/// </summary>
public sealed class LedgerProjector(IServiceScopeFactory scopes, TimeProvider clock, ILogger<LedgerProjector> log) : BackgroundService
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private const int BatchSize = 50;
    private static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(3);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid PatientId, int Year, int Month), (DateTime Until, TimeSpan Backoff)> _deferred = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid PatientId, int Year, int Month), DateTime> _recheck = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = 0;
            try
            {
                worked = await ProjectOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database may not be migrated yet (the migrator runs first); keep trying.
                log.LogDebug(ex, "Ledger projection pass failed; retrying");
            }
            if (worked == 0) await Task.Delay(Idle, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public async Task<int> ProjectOnceAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        // Read untracked with the Version each row had: a fact committed after this read bumps Version, so the
        // conditional update below fails for that row alone and it stays dirty for the next pass.
        // Rows that failed for another reason than a conflict wait before their next try, so fifty poison rows
        // at the head of the queue cannot starve every newer patient-month behind them. The wait doubles from one
        // second: a busy database under load fails a row once and costs it a second, not half a minute.
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.PatientMonths.AsNoTracking().Where(m => m.Dirty).OrderBy(m => m.ChangedAt)
            .Take(BatchSize + Math.Min(_deferred.Count, 1000)).ToListAsync(ct);
        var dirty = candidates.Where(r => !_deferred.TryGetValue((r.PatientId, r.Year, r.Month), out var deferred) || deferred.Until <= now).Take(BatchSize).ToList();
        var due = _recheck.Where(r => r.Value <= now).Select(r => r.Key).Take(BatchSize).ToList();
        if (dirty.Count == 0 && due.Count == 0) return 0;
        var fees = await FeeScheduleStore.LoadAsync(db, clock.GetUtcNow().UtcDateTime, ct);
        var caps = await db.MueCaps.AsNoTracking().ToListAsync(ct);
        foreach (var key in due)
        {
            db.ChangeTracker.Clear();
            _recheck.TryRemove(key, out _);
            await RecheckAsync(db, key, fees, caps, ct);
        }
        var conflicts = 0;
        foreach (var row in dirty)
        {
            // One row per SaveChanges: a conflict or a poison row costs that row only, never the batch's other
            // ledgers (a whole-batch rollback re-run on every pass starved every row behind one busy patient).
            db.ChangeTracker.Clear();
            try
            {
                await ProjectRowAsync(db, row, fees, caps, ct);
                _deferred.TryRemove((row.PatientId, row.Year, row.Month), out _);
                _recheck[(row.PatientId, row.Year, row.Month)] = clock.GetUtcNow().UtcDateTime + RecheckAfter;
            }
            catch (DbUpdateConcurrencyException)
            {
                // A fact arrived after this row was read; it stays dirty and the next pass recomputes it.
                conflicts++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var key = (row.PatientId, row.Year, row.Month);
                var backoff = _deferred.TryGetValue(key, out var previous) ? TimeSpan.FromTicks(Math.Min(previous.Backoff.Ticks * 2, MaxBackoff.Ticks)) : FirstBackoff;
                _deferred[key] = (now + backoff, backoff);
                log.LogWarning(ex, "Ledger projection of patient {PatientId} {Year}-{Month} failed; it stays dirty and is retried in {Backoff}", row.PatientId, row.Year, row.Month, backoff);
            }
        }
        db.ChangeTracker.Clear();
        if (conflicts > 0) log.LogDebug("Ledger projection: {Conflicts} of {Count} rows changed meanwhile and stay dirty", conflicts, dirty.Count);
        return dirty.Count;
    }

    /// <summary>
    /// Recomputes one patient-month from its committed facts and clears Dirty only if its Version is still the one
    /// read (the fact and its mark commit together, so any fact the facts read missed has bumped it).
    /// </summary>
    public async Task ProjectRowAsync(BillingDbContext db, PatientMonthRecord row, FeeSchedules fees, List<MueCapRecord> caps, CancellationToken ct)
    {
        // The row's Version and the facts are read inside one transaction. On SQLite it begins IMMEDIATE, so no fact can
        // commit between these reads and the write; elsewhere the Version check on the UPDATE refuses a stale write.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var version = await db.PatientMonths.AsNoTracking()
            .Where(m => m.PatientId == row.PatientId && m.Year == row.Year && m.Month == row.Month).Select(m => (int?)m.Version).SingleOrDefaultAsync(ct);
        if (version != row.Version)
        {
            throw new DbUpdateConcurrencyException($"Patient-month {row.PatientId} {row.Year}-{row.Month} changed after it was read (version {row.Version} → {version}).");
        }

        var view = await ViewAsync(db, row, fees, caps, ct);
        db.PatientMonths.Attach(row);
        row.CountableMinutes = view.ClinicalStaffMinutes + view.PractitionerMinutes;
        row.NotCountableMinutes = NotCountable(view);
        row.MinutesToNextPaymentStep = view.FurtherStaffMinutesToRaisePayment;
        row.BestPaymentCents = view.BestPaymentCents;
        row.Dirty = false;
        // Stamped after the facts were read: the worklist keeps the ledger with the latest stamp, so a later
        // recomputation always wins over an earlier one.
        var now = clock.GetUtcNow().UtcDateTime;
        db.Outbox(new LedgerUpdated(row.PracticeId, row.PatientId, row.Year, row.Month, row.CountableMinutes, row.NotCountableMinutes,
            row.MinutesToNextPaymentStep, row.BestPaymentCents, now, view.Reasons.Select(r => new LedgerReasonItem(r.Code, r.Text)).ToList()), now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// A few seconds after a row is projected it is computed again from what is committed then; if the stored figures
    /// differ, the row is marked dirty so the normal path rewrites it. It was added while rows were being cleared with one
    /// committed fact missing (a lost dirty mark, fixed in PatientMonthMarks); it stays as a guard that bounds how long any
    /// such ledger can be wrong, and its warning makes each occurrence visible.
    /// </summary>
    private async Task RecheckAsync(BillingDbContext db, (Guid PatientId, int Year, int Month) key, FeeSchedules fees, List<MueCapRecord> caps, CancellationToken ct)
    {
        try
        {
            var row = await db.PatientMonths.AsNoTracking().SingleOrDefaultAsync(m => m.PatientId == key.PatientId && m.Year == key.Year && m.Month == key.Month, ct);
            if (row is null || row.Dirty) return;
            var view = await ViewAsync(db, row, fees, caps, ct);
            if (row.CountableMinutes == view.ClinicalStaffMinutes + view.PractitionerMinutes && row.NotCountableMinutes == NotCountable(view)
                && row.MinutesToNextPaymentStep == view.FurtherStaffMinutesToRaisePayment && row.BestPaymentCents == view.BestPaymentCents)
            {
                return;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var marked = await db.PatientMonths.Where(m => m.PatientId == row.PatientId && m.Year == row.Year && m.Month == row.Month && m.Version == row.Version)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.Dirty, true).SetProperty(m => m.Version, m => m.Version + 1).SetProperty(m => m.ChangedAt, now), ct);
            if (marked > 0)
            {
                log.LogWarning("Ledger of patient {PatientId} {Year}-{Month} differed from its facts on recheck ({Countable} countable stored); recomputing", row.PatientId, row.Year, row.Month, row.CountableMinutes);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogDebug(ex, "Ledger recheck of patient {PatientId} {Year}-{Month} failed", key.PatientId, key.Year, key.Month);
        }
    }

    private static async Task<LedgerView> ViewAsync(BillingDbContext db, PatientMonthRecord row, FeeSchedules fees, List<MueCapRecord> caps, CancellationToken ct)
    {
        var month = new ServiceMonth(row.Year, row.Month);
        var file = await FactsLoader.LoadAsync(db, row.PatientId, ct);
        var payer = file.CoverageOn(month.LastDay)?.Payer ?? FeeScheduleStore.DefaultPayer;
        return Ledger.Summarize(FactsLoader.ToFacts(file, month, fees, FeeScheduleStore.Mue(caps, payer)));
    }

    /// <summary>Minutes logged in this month that do not count; minutes of other months are not this month's.</summary>
    public static int NotCountable(LedgerView view) =>
        view.NotCounted.Where(n => n.Reason != NotCountableReason.OtherMonth).Sum(n => n.Minutes);
}
