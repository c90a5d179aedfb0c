using CcmPlatform.Billing.Rules;
using static CcmPlatform.Billing.Rules.Tests.FactsBuilder;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>What a user reads: refusal details of the entry rules, the rendered explanation, local midnights across DST.</summary>
public sealed class RuleTextTests
{
    [Fact]
    [Trait("Rule", "R-TIME-6")]
    [Trait("Rule", "R-FACT-1")]
    public void GivenRefusedEntries_WhenValidated_ThenTheDetailSaysWhatIsWrong()
    {
        var now = new DateTime(2025, 3, 10, 12, 0, 0, DateTimeKind.Utc);

        Assert.Equal("An entry has 1–240 whole minutes; got 241. Split longer work into entries.", TimeEntryRules.ValidateMinutes(241).Detail);
        Assert.Equal("occurredAt is in the future.", TimeEntryRules.ValidateOccurredAt(now.AddMinutes(1), now).Detail);
    }

    [Fact]
    [Trait("Rule", "R-INIT-2")]
    public void GivenG0506Refusals_WhenValidated_ThenTheDetailNamesTheReason()
    {
        var visit = new InitiatingVisit("99213", Md, Local(2025, 3, 5, 9), Local(2025, 3, 5, 10));

        var twice = G0506Rules.CanRecord([new G0506Record("g1", new DateOnly(2025, 1, 7), Md)], new DateOnly(2025, 3, 5), [visit], Zone);
        var wrongDay = G0506Rules.CanRecord([], new DateOnly(2025, 3, 6), [visit], Zone);

        Assert.Equal("G0506 was already recorded on 2025-01-07; it may be billed once per patient.", twice.Detail);
        Assert.Equal("G0506 is recorded with the initiating visit, on that visit's date.", wrongDay.Detail);
        Assert.True(G0506Rules.CanRecord([], new DateOnly(2025, 3, 5), [visit], Zone).Allowed);
    }

    [Fact]
    [Trait("Rule", "R-TIME-2")]
    public void GivenAnEntryPartlyInTheNextMonth_WhenRendered_ThenTheTextListsTheUncountedMinutesAndWhyATrackIsNoCandidate()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25).Entry(30, Local(2025, 3, 31, 23, 50));

        var text = BillingEngine.Evaluate(b.Build()).Explanation.ToText();

        Assert.Contains("  not countable: entry e2, 20 min (OtherMonth)\n", text);
        Assert.Contains("  track CcmComplex: 35 min (threshold 60) → no lines — not a candidate: no moderate or high MDM", text);
        Assert.Contains("99490 $60.49 [billed]\n", text);
    }

    [Fact]
    [Trait("Rule", "R-EXCL-3")]
    public void GivenAnEsrdServiceAndAVisitBilledElsewhere_WhenEvaluated_ThenOnlyTheEsrdServiceConflicts()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.BilledElsewhere.Add(new BilledService("99214", OtherMd, new DateOnly(2025, 3, 12)));
        b.BilledElsewhere.Add(new BilledService("90960", OtherMd, new DateOnly(2025, 3, 12)));

        var h = OutcomeAssert.Hold(BillingEngine.Evaluate(b.Build()), HoldReason.ExclHospiceHhEsrd);

        Assert.Equal("90960", Assert.Single(h.ConflictingServices).Code);
    }

    [Theory]
    [Trait("Rule", "R-TIME-2")]
    [InlineData("America/Santiago", 2025, 9, 7, 4)]   // midnight skipped by DST: 01:00 local (UTC−3)
    [InlineData("America/Santiago", 2025, 9, 6, 4)]   // 00:00 local (UTC−4)
    [InlineData("America/New_York", 2025, 3, 9, 5)]
    [InlineData("America/New_York", 2025, 3, 10, 4)]
    public void GivenALocalDate_WhenItsMidnightIsComputed_ThenItIsTheFirstValidLocalMinute(string zone, int y, int m, int d, int utcHour)
    {
        var tz = Zones.Find(zone);

        Assert.Equal(new DateTime(y, m, d, utcHour, 0, 0, DateTimeKind.Utc), Zones.LocalMidnightUtc(new DateOnly(y, m, d), tz));
        Assert.Equal(new DateTime(y, m, d, utcHour, 0, 0, DateTimeKind.Utc), Zones.LocalMidnightUtc(new DateOnly(y, m, d), tz));
    }
}
