using CcmPlatform.Billing.Rules;
using static CcmPlatform.Billing.Rules.Tests.FactsBuilder;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>R-CLOSE-3: a claim released as soon as its threshold is met, dated and evaluated as of that day.</summary>
public sealed class EarlyReleaseTests
{
    private static FactsBuilder StaffOn(params (int Day, int Minutes)[] entries)
    {
        var b = FactsBuilder.For(2025, 3);
        foreach (var (day, minutes) in entries) b.Entry(minutes, Local(2025, 3, day, 9));
        return b;
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    [Trait("Rule", "R-CODE-5")]
    public void GivenTwentyMinutesReachedOnThe7th_WhenReleasedOnThe25th_ThenDateOfServiceIsThe7thAndLaterMinutesIgnored()
    {
        var b = StaffOn((3, 10), (7, 12), (20, 25));

        var r = EarlyRelease.Evaluate(b.Build(), Local(2025, 3, 25, 12));

        Assert.Equal(new DateOnly(2025, 3, 7), r.ReleaseDate);
        var c = OutcomeAssert.Claim(r.Outcome, ("99490", 1));
        Assert.Equal(new DateOnly(2025, 3, 7), c.DateOfService);
        Assert.Equal(22, c.Explanation.ClinicalStaffMinutes);
        Assert.Equal(6049, c.TotalCents);
        Assert.Contains(RuleCatalog.Close3, c.Explanation.RulesApplied);
        Assert.DoesNotContain(RuleCatalog.Close3, BillingEngine.Evaluate(b.Build()).Explanation.RulesApplied);
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    public void GivenOnlyTenMinutesByTheRequest_WhenReleased_ThenNoReleaseDateAndTheShortfallIsReported()
    {
        var b = StaffOn((3, 10), (20, 25));

        var r = EarlyRelease.Evaluate(b.Build(), Local(2025, 3, 6, 12));

        Assert.Null(r.ReleaseDate);
        OutcomeAssert.NotBillable(r.Outcome, NotBillableReason.BelowThreshold, "10 of 20 minutes");
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    public void GivenAnEntryLaterTheSameDayThanTheRequest_WhenReleased_ThenItIsNotCountedYet()
    {
        var b = FactsBuilder.For(2025, 3).Entry(15, Local(2025, 3, 4, 9)).Entry(10, Local(2025, 3, 4, 15));

        Assert.Null(EarlyRelease.Evaluate(b.Build(), Local(2025, 3, 4, 12)).ReleaseDate);
        Assert.Equal(new DateOnly(2025, 3, 4), EarlyRelease.Evaluate(b.Build(), Local(2025, 3, 4, 16)).ReleaseDate);
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenThePlanIsSharedOnlyOnThe10th_WhenReleased_ThenTheDateOfServiceWaitsForTheSharing()
    {
        var b = StaffOn((3, 25));
        b.PlanVersions[0] = b.PlanVersions[0] with { SharedAtUtc = Local(2025, 3, 10, 11) };

        var r = EarlyRelease.Evaluate(b.Build(), Local(2025, 3, 20, 12));

        Assert.Equal(new DateOnly(2025, 3, 10), r.ReleaseDate);
        Assert.Equal(new DateOnly(2025, 3, 10), Assert.IsType<MonthOutcome.Claim>(r.Outcome).DateOfService);
        OutcomeAssert.Hold(EarlyRelease.Evaluate(b.Build(), Local(2025, 3, 9, 12)).Outcome, HoldReason.CarePlanNotShared);
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    [Trait("Rule", "R-CPLX-1")]
    public void GivenMdmRecordedAfterTheThresholdDay_WhenReleased_ThenTheComplexTrackIsNotACandidateAsOfThen()
    {
        var b = StaffOn((3, 100));
        b.Mdm.Add(new MdmAssessment(new DateOnly(2025, 3, 15), MdmLevel.High, Md));
        b.Revisions.Add(Local(2025, 3, 15, 11));

        var r = EarlyRelease.Evaluate(b.Build(), Local(2025, 3, 20, 12));

        Assert.Equal(new DateOnly(2025, 3, 3), r.ReleaseDate);
        OutcomeAssert.Claim(r.Outcome, ("99490", 1), ("99439", 2));
        OutcomeAssert.Claim(BillingEngine.Evaluate(b.Build()), ("99487", 1), ("99489", 1));
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    public void GivenARequestBeforeTheMonthStarts_WhenReleased_ThenNothingIsReleased()
    {
        var b = StaffOn((3, 25));

        var r = EarlyRelease.Evaluate(b.Build(), Local(2025, 2, 20, 12));

        Assert.Null(r.ReleaseDate);
        Assert.IsNotType<MonthOutcome.Claim>(r.Outcome);
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    [Trait("Rule", "R-CODE-5")]
    public void GivenAReleaseDateAfterTheDeath_WhenEvaluated_ThenTheDeathDateStaysTheDateOfService()
    {
        var b = StaffOn((3, 25));
        b.DeathDate = new DateOnly(2025, 3, 8);
        var facts = b.Build() with { ReleaseDate = new DateOnly(2025, 3, 12) };

        Assert.Equal(new DateOnly(2025, 3, 8), Assert.IsType<MonthOutcome.Claim>(BillingEngine.Evaluate(facts)).DateOfService);
        var outside = b.Build() with { ReleaseDate = new DateOnly(2025, 4, 2) };
        Assert.DoesNotContain(RuleCatalog.Close3, BillingEngine.Evaluate(outside).Explanation.RulesApplied);
    }
}
