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
        var dirty = await db.PatientMonths.Where(m => m.Dirty).OrderBy(m => m.ChangedAt).Take(50).ToListAsync(ct);
        if (dirty.Count == 0) return 0;
        var now = clock.GetUtcNow().UtcDateTime;
        var fees = await FeeScheduleStore.LoadAsync(db, now, ct);
        var caps = await db.MueCaps.AsNoTracking().ToListAsync(ct);
        foreach (var row in dirty)
        {
            var month = new ServiceMonth(row.Year, row.Month);
            var file = await FactsLoader.LoadAsync(db, row.PatientId, ct);
            var payer = file.CoverageOn(month.LastDay)?.Payer ?? FeeScheduleStore.DefaultPayer;
            var view = Ledger.Summarize(FactsLoader.ToFacts(file, month, fees, FeeScheduleStore.Mue(caps, payer)));
            row.CountableMinutes = view.ClinicalStaffMinutes + view.PractitionerMinutes;
            row.NotCountableMinutes = NotCountable(view);
            row.MinutesToNextPaymentStep = view.FurtherStaffMinutesToRaisePayment;
            row.BestPaymentCents = view.BestPaymentCents;
            row.Dirty = false;
            db.Outbox(new LedgerUpdated(row.PracticeId, row.PatientId, row.Year, row.Month, row.CountableMinutes, row.NotCountableMinutes,
                row.MinutesToNextPaymentStep, row.BestPaymentCents, now), now);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A fact arrived meanwhile; those rows stay dirty and the next pass recomputes them.
        }
        return dirty.Count;
    }

    /// <summary>Minutes logged in this month that do not count; minutes of other months are not this month's.</summary>
    public static int NotCountable(LedgerView view) =>
        view.NotCounted.Where(n => n.Reason != NotCountableReason.OtherMonth).Sum(n => n.Minutes);
}
