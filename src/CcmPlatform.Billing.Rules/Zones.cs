using System.Collections.Concurrent;

namespace CcmPlatform.Billing.Rules;

/// <summary>Practice time-zone arithmetic (R-TIME-2). IANA ids resolve on Linux and on Windows (.NET 6+ ICU).</summary>
public static class Zones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Cache = new(StringComparer.Ordinal);

    public static TimeZoneInfo Find(string ianaId) => Cache.GetOrAdd(ianaId, static id => TimeZoneInfo.FindSystemTimeZoneById(id));

    /// <summary>UTC instant of the local midnight starting <paramref name="date"/>; if that midnight does not exist (DST gap) the first valid local minute after it.</summary>
    public static DateTime LocalMidnightUtc(DateOnly date, TimeZoneInfo zone) =>
        // Zone rules are fixed for the process lifetime; caching keeps the hot path free of zone arithmetic.
        MidnightCache.GetOrAdd(new DayKey(zone, date.DayNumber), static k => ComputeLocalMidnightUtc(DateOnly.FromDayNumber(k.Day), k.Zone));

    private static readonly ConcurrentDictionary<DayKey, DateTime> MidnightCache = new();

    // TimeZoneInfo.Equals compares adjustment rules; identity is enough here and much cheaper.
    private readonly struct DayKey(TimeZoneInfo zone, int day) : IEquatable<DayKey>
    {
        public TimeZoneInfo Zone { get; } = zone;
        public int Day { get; } = day;
        public bool Equals(DayKey other) => ReferenceEquals(Zone, other.Zone) && Day == other.Day;
        public override bool Equals(object? obj) => obj is DayKey k && Equals(k);
        public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Zone) * 397 ^ Day;
    }

    private static DateTime ComputeLocalMidnightUtc(DateOnly date, TimeZoneInfo zone)
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
