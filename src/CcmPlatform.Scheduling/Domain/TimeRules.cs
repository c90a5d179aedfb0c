namespace CcmPlatform.Scheduling.Domain;

/// <summary>One proposed piece of a long timer session.</summary>
public sealed record SplitPart(DateTime StartedAt, int Minutes);

/// <summary>The time-entry rules of R-TIME-2/R-TIME-6 and R-CONS-3, free of I/O and clocks.</summary>
public static class TimeRules
{
    public const int MinMinutes = 1;
    public const int MaxMinutes = 240;

    public static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    /// <summary>Entries start on a whole minute (R-TIME-6).</summary>
    public static DateTime TruncateToMinute(DateTime utc)
    {
        var u = AsUtc(utc);
        return new DateTime(u.Ticks - (u.Ticks % TimeSpan.TicksPerMinute), DateTimeKind.Utc);
    }

    /// <summary>
    /// 0001-01-01T00:00:00 is what an absent startedAt binds to, and no real start: the message says both,
    /// rather than "required" to a client who did send a value.
    /// </summary>
    public const string DefaultStartMessage = "startedAt is missing or 0001-01-01T00:00:00, which is no real start; send the instant the work began as an ISO 8601 date-time (e.g. 2025-03-10T14:00:00Z).";

    public static bool MinutesInRange(int minutes) => minutes is >= MinMinutes and <= MaxMinutes;

    /// <summary>How far a client's clock may run ahead of ours before an entry's end counts as the future.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>R-FACT-1: minutes are logged once spent, so the entry's end may not lie in the future.</summary>
    public static bool EndsInFuture(DateTime startedAt, int minutes, DateTime nowUtc) => AsUtc(startedAt).AddMinutes(minutes) > AsUtc(nowUtc) + ClockSkew;

    /// <summary>A timer stops into whole minutes: seconds are dropped, never rounded up.</summary>
    public static int ElapsedWholeMinutes(DateTime startedAt, DateTime stoppedAt)
        => (int)Math.Floor((AsUtc(stoppedAt) - AsUtc(startedAt)).TotalMinutes);

    /// <summary>Back-to-back entries of at most 240 minutes covering the whole session.</summary>
    public static IReadOnlyList<SplitPart> ProposeSplit(DateTime startedAt, int totalMinutes)
    {
        var parts = new List<SplitPart>();
        var start = TruncateToMinute(startedAt);
        var left = totalMinutes;
        while (left > 0)
        {
            var minutes = Math.Min(MaxMinutes, left);
            parts.Add(new SplitPart(start, minutes));
            start = start.AddMinutes(minutes);
            left -= minutes;
        }

        return parts;
    }

    /// <summary>Half-open intervals [start, end): back-to-back entries do not overlap.</summary>
    public static bool Overlaps(DateTime aStart, DateTime aEnd, DateTime bStart, DateTime bEnd) => aStart < bEnd && bStart < aEnd;

    public static TimeZoneInfo Zone(string? ianaZone)
    {
        if (!string.IsNullOrWhiteSpace(ianaZone) && TimeZoneInfo.TryFindSystemTimeZoneById(ianaZone, out var zone))
        {
            return zone;
        }

        return TimeZoneInfo.Utc;
    }

    /// <summary>The calendar month as UTC instants [start, end), with midnights in the practice zone (R-TIME-2).</summary>
    public static (DateTime Start, DateTime End) MonthBounds(int year, int month, TimeZoneInfo zone)
    {
        var localStart = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        var localEnd = localStart.AddMonths(1);
        return (TimeZoneInfo.ConvertTimeToUtc(localStart, zone), TimeZoneInfo.ConvertTimeToUtc(localEnd, zone));
    }

    public static DateOnly LocalDate(DateTime utc, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(AsUtc(utc), zone));

    /// <summary>
    /// R-CONS-3: a revocation takes effect at the end of its calendar month (practice zone); an entry
    /// starting at or after that instant is refused.
    /// </summary>
    public static bool BlockedByRevocation(DateTime entryStart, DateTime revokedAt, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(AsUtc(revokedAt), zone);
        var (_, monthEnd) = MonthBounds(local.Year, local.Month, zone);
        return AsUtc(entryStart) >= monthEnd;
    }

    /// <summary>Days left in the month counting today, in the practice zone; 0 for a past month.</summary>
    public static int DaysLeftInMonth(int year, int month, DateTime nowUtc, TimeZoneInfo zone)
    {
        var today = LocalDate(nowUtc, zone);
        var first = new DateOnly(year, month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        if (today > last)
        {
            return 0;
        }

        var from = today < first ? first : today;
        return last.DayNumber - from.DayNumber + 1;
    }

    /// <summary>What a month parameter refused by <see cref="TryParseMonth"/> must look like.</summary>
    public const string MonthFormat = "month must be a calendar month yyyy-MM from 2000-01 to 2100-12.";

    public static bool TryParseMonth(string? value, out int year, out int month)
    {
        year = month = 0;
        if (value is null || !DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d))
        {
            return false;
        }

        // Billing's months are 2000–2100 too; 9999-12 would also overflow the month's end instant (500, not 400).
        if (d.Year is < 2000 or > 2100)
        {
            return false;
        }

        (year, month) = (d.Year, d.Month);
        return true;
    }
}
