using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Rules;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Closing;

/// <summary>
/// Staged by consumers in the same SaveChanges as the fact: the patient-months the fact can change are marked
/// dirty (the ledger projector recomputes them) and, when already closed, "needs re-close" (R-CLOSE-2).
/// </summary>
public static class PatientMonthMarks
{
    public static async Task<string> TimeZoneOfAsync(BillingDbContext db, Guid practiceId, CancellationToken ct)
        => (await db.Practices.FindAsync([practiceId], ct))?.TimeZone ?? FactsLoader.DefaultTimeZone;

    /// <summary>A dated fact changes its own month and every later month Billing already tracks for the patient.</summary>
    public static async Task FromAsync(BillingDbContext db, Guid practiceId, Guid patientId, DateTime fromUtc, DateTime now, CancellationToken ct)
    {
        var zone = Zones.Find(await TimeZoneOfAsync(db, practiceId, ct));
        var first = Zones.MonthOf(fromUtc, zone);
        await FromMonthAsync(db, practiceId, patientId, first, now, ct);
    }

    public static async Task FromMonthAsync(BillingDbContext db, Guid practiceId, Guid patientId, ServiceMonth first, DateTime now, CancellationToken ct)
    {
        var key = first.Year * 100 + first.Month;
        var later = await db.PatientMonths.AsNoTracking()
            .Where(m => m.PatientId == patientId && m.Year * 100 + m.Month > key)
            .Select(m => new { m.Year, m.Month })
            .ToListAsync(ct);
        var months = new List<ServiceMonth> { first };
        months.AddRange(later.Select(m => new ServiceMonth(m.Year, m.Month)));
        await MonthsAsync(db, practiceId, patientId, months, now, ct);
    }

    /// <summary>
    /// Marks existing rows dirty in one statement, for a change that reprices them all (a fee schedule, an MUE cap) rather than
    /// a fact about one patient. The version bump makes a projection already in flight fail its check and leave the row dirty.
    /// </summary>
    public static Task<int> RepriceAsync(IQueryable<PatientMonthRecord> rows, DateTime now, CancellationToken ct)
        => rows.ExecuteUpdateAsync(set => set.SetProperty(m => m.Dirty, true).SetProperty(m => m.Version, m => m.Version + 1).SetProperty(m => m.ChangedAt, now), ct);

    public static async Task MonthsAsync(BillingDbContext db, Guid practiceId, Guid patientId, IEnumerable<ServiceMonth> months, DateTime now, CancellationToken ct)
    {
        foreach (var m in months.Distinct())
        {
            var row = await db.PatientMonths.FindAsync([patientId, m.Year, m.Month], ct);
            if (row is null)
            {
                row = new PatientMonthRecord { PatientId = patientId, Year = m.Year, Month = m.Month, PracticeId = practiceId };
                db.PatientMonths.Add(row);
            }
            row.Dirty = true;
            row.Version++;
            row.ChangedAt = now;
            // Written even when the loaded row already says true: the projector (or a close, for NeedsReclose) may clear
            // the flag after this context read it, and EF leaves a property that did not change out of the UPDATE, so the
            // fact would commit with its row clean and the ledger would miss it.
            var entry = db.Entry(row);
            if (entry.State != EntityState.Added) entry.Property(x => x.Dirty).IsModified = true;
            var close = await db.MonthCloses.FindAsync([row.PracticeId, m.Year, m.Month], ct);
            if (close is not null)
            {
                row.NeedsReclose = true;
                close.NeedsReclose = true;
                if (entry.State != EntityState.Added) entry.Property(x => x.NeedsReclose).IsModified = true;
                db.Entry(close).Property(x => x.NeedsReclose).IsModified = true;
            }
        }
    }
}
