using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Rules;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Closing;

/// <summary>Fee schedules and MUE caps are data (R-FEE-1, R-CODE-6); the 2025 schedule ships embedded and is stored on first use.</summary>
public static class FeeScheduleStore
{
    public const int EmbeddedYear = 2025;
    public const string DefaultPayer = "Medicare";

    public static string EmbeddedCsv()
    {
        using var stream = typeof(FeeScheduleStore).Assembly.GetManifestResourceStream("fee-schedule-2025.csv")
            ?? throw new InvalidOperationException("Embedded fee-schedule-2025.csv is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static async Task EnsureDefaultsAsync(BillingDbContext db, DateTime now, CancellationToken ct)
    {
        if (await db.FeeSchedules.AnyAsync(f => f.Year == EmbeddedYear, ct)) return;
        var csv = EmbeddedCsv();
        var parsed = FeeSchedule.Parse(csv, EmbeddedYear);
        db.FeeSchedules.Add(new FeeScheduleRecord { Year = EmbeddedYear, Csv = csv, ConversionFactor = parsed.ConversionFactor, QpConversionFactor = parsed.QpConversionFactor, LoadedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request or replica stored it first.
            db.ChangeTracker.Clear();
        }
    }

    public static async Task<FeeSchedules> LoadAsync(BillingDbContext db, DateTime now, CancellationToken ct)
    {
        await EnsureDefaultsAsync(db, now, ct);
        var rows = await db.FeeSchedules.AsNoTracking().ToListAsync(ct);
        return new FeeSchedules(rows.Select(Parsed).OfType<FeeSchedule>());
    }

    /// <summary>
    /// A stored schedule the upload check now refuses (a zero or negative RVU or factor accepted before R-FEE-1
    /// checked them) is treated as absent, so its year holds with FEE_SCHEDULE_MISSING until an admin replaces it
    /// instead of failing every ledger and close.
    /// </summary>
    public static FeeSchedule? Parsed(FeeScheduleRecord row)
    {
        try
        {
            return FeeSchedule.Parse(row.Csv, row.Year, row.QpConversionFactor);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Medicare defaults (99439 = 2; others uncapped) overlaid by the payer's stored caps.</summary>
    public static Dictionary<string, int?> Caps(IEnumerable<MueCapRecord> stored, string payer)
    {
        var caps = new Dictionary<string, int?>(StringComparer.OrdinalIgnoreCase) { ["99439"] = 2, ["99489"] = null, ["99437"] = null, ["99425"] = null, ["99427"] = null };
        foreach (var c in stored.Where(c => string.Equals(c.Payer, payer, StringComparison.OrdinalIgnoreCase))) caps[c.Code] = c.Cap;
        return caps;
    }

    public static MueTable Mue(IEnumerable<MueCapRecord> stored, string payer) =>
        new(Caps(stored, payer).Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!.Value));
}
