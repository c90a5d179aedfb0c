using System.Collections.Concurrent;

namespace CcmPlatform.Billing.Rules;

/// <summary>Practice time-zone arithmetic (R-TIME-2). IANA ids resolve on Linux and on Windows (.NET 6+ ICU).</summary>
public static class Zones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Cache = new(StringComparer.Ordinal);

    public static TimeZoneInfo Find(string ianaId) => Cache.GetOrAdd(ianaId, static id => TimeZoneInfo.FindSystemTimeZoneById(id));

    /// <summary>UTC instant of the local midnight starting <paramref name="date"/>; if that midnight does not exist (DST gap) the first valid local minute after it.</summary>
    public static DateTime LocalMidnightUtc(DateOnly date, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var guard = 0;
        while (zone.IsInvalidTime(local) && guard++ < 48 * 60) local = local.AddMinutes(1);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    public static DateOnly LocalDate(DateTime utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    /// <summary>End (exclusive) of a local day, as a UTC instant.</summary>
    public static DateTime EndOfLocalDayUtc(DateOnly date, TimeZoneInfo zone) => LocalMidnightUtc(date.AddDays(1), zone);

    public static ServiceMonth MonthOf(DateTime utc, TimeZoneInfo zone) => ServiceMonth.Of(LocalDate(utc, zone));
}
