using CcmPlatform.Scheduling.Domain;

namespace CcmPlatform.Scheduling.Tests;

public sealed class TimeRulesTests
{
    private static readonly TimeZoneInfo NewYork = TimeRules.Zone("America/New_York");

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public void GivenSecondsAndTicks_WhenTruncated_ThenWholeMinuteUtc()
    {
        var t = TimeRules.TruncateToMinute(new DateTime(2025, 3, 10, 14, 5, 59, 999, DateTimeKind.Utc));
        Assert.Equal(new DateTime(2025, 3, 10, 14, 5, 0, DateTimeKind.Utc), t);
        Assert.Equal(DateTimeKind.Utc, t.Kind);
    }

    [Theory]
    [Trait("Rule", "R-TIME-6")]
    [InlineData(241, new[] { 240, 1 })]
    [InlineData(480, new[] { 240, 240 })]
    [InlineData(500, new[] { 240, 240, 20 })]
    public void GivenLongSession_WhenSplit_ThenBackToBackPartsOfAtMost240(int total, int[] expected)
    {
        var start = new DateTime(2025, 3, 10, 8, 0, 0, DateTimeKind.Utc);
        var parts = TimeRules.ProposeSplit(start, total);
        Assert.Equal(expected, parts.Select(p => p.Minutes).ToArray());
        for (var i = 1; i < parts.Count; i++)
        {
            Assert.Equal(parts[i - 1].StartedAt.AddMinutes(parts[i - 1].Minutes), parts[i].StartedAt);
        }
    }

    [Fact]
    [Trait("Rule", "R-TIME-2")]
    public void GivenNewYorkPractice_WhenMonthBounds_ThenLocalMidnightInUtc()
    {
        var (start, end) = TimeRules.MonthBounds(2025, 3, NewYork);
        Assert.Equal(new DateTime(2025, 3, 1, 5, 0, 0, DateTimeKind.Utc), start);
        Assert.Equal(new DateTime(2025, 4, 1, 4, 0, 0, DateTimeKind.Utc), end); // DST began 9 March
    }

    [Fact]
    [Trait("Rule", "R-CONS-3")]
    public void GivenRevocationMidMonth_WhenChecked_ThenRestOfMonthAllowedNextMonthBlocked()
    {
        var revoked = new DateTime(2025, 3, 12, 15, 0, 0, DateTimeKind.Utc);
        Assert.False(TimeRules.BlockedByRevocation(new DateTime(2025, 4, 1, 3, 59, 0, DateTimeKind.Utc), revoked, NewYork));
        Assert.True(TimeRules.BlockedByRevocation(new DateTime(2025, 4, 1, 4, 0, 0, DateTimeKind.Utc), revoked, NewYork));
    }

    [Fact]
    public void GivenIntervals_WhenBackToBack_ThenNoOverlap()
    {
        var a = new DateTime(2025, 3, 10, 8, 0, 0, DateTimeKind.Utc);
        Assert.False(TimeRules.Overlaps(a, a.AddMinutes(30), a.AddMinutes(30), a.AddMinutes(40)));
        Assert.True(TimeRules.Overlaps(a, a.AddMinutes(30), a.AddMinutes(29), a.AddMinutes(40)));
    }

    [Fact]
    [Trait("Rule", "R-TIME-1")]
    public void GivenDates_WhenDaysLeft_ThenCountsTodayAndZeroForPastMonths()
    {
        var now = new DateTime(2025, 3, 30, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal(2, TimeRules.DaysLeftInMonth(2025, 3, now, NewYork));
        Assert.Equal(0, TimeRules.DaysLeftInMonth(2025, 2, now, NewYork));
        Assert.Equal(30, TimeRules.DaysLeftInMonth(2025, 4, now, NewYork));
    }
}
