using CcmPlatform.Billing.Rules;
using static CcmPlatform.Billing.Rules.Tests.FactsBuilder;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>Code selection per track, MUE caps and the choice of the winning track, as the explanation reports them.</summary>
public sealed class TrackChoiceTests
{
    private static MonthOutcome Eval(FactsBuilder b) => BillingEngine.Evaluate(b.Build());

    private static FactsBuilder Pcm()
    {
        var b = FactsBuilder.For(2025, 5);
        b.Enrollments[0] = new ProgramEnrollment(CareProgram.Pcm, new DateOnly(2015, 1, 1));
        b.Consents[0] = b.Consents[0] with { Program = CareProgram.Pcm };
        b.Conditions.RemoveAt(1);
        return b;
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    [Trait("Rule", "R-CODE-2")]
    [Trait("Rule", "R-CPLX-1")]
    [Trait("Rule", "R-CODE-6")]
    public void GivenACcmClaim_WhenExplained_ThenItCitesTheCcmCodeRules()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).Staff(25)), ("99490", 1));

        Assert.All(new[] { RuleCatalog.Code1, RuleCatalog.Code2, RuleCatalog.Cplx1, RuleCatalog.Code6 },
            id => Assert.Contains(id, c.Explanation.RulesApplied));
        Assert.DoesNotContain(RuleCatalog.Pcm1, c.Explanation.RulesApplied);
    }

    [Fact]
    [Trait("Rule", "R-PCM-1")]
    [Trait("Rule", "R-CODE-6")]
    [Trait("Rule", "R-CODE-4")]
    public void GivenPcmTimeByThePractitionerPersonally_WhenEvaluated_ThenThePractitionerTrackWinsAndPcmRulesAreCited()
    {
        var b = Pcm().Entry(35, Local(2025, 5, 6, 14), StaffRoleKind.Practitioner, Md, CareProgram.Pcm, "md1");

        var c = OutcomeAssert.Claim(Eval(b), ("99424", 1));

        Assert.Equal(Track.PcmPractitioner, c.Track);
        Assert.Contains(RuleCatalog.Pcm1, c.Explanation.RulesApplied);
        Assert.Contains(RuleCatalog.Code6, c.Explanation.RulesApplied);
        Assert.DoesNotContain(RuleCatalog.Code1, c.Explanation.RulesApplied);
    }

    [Fact]
    [Trait("Rule", "R-CODE-4")]
    public void GivenAPlainClaim_WhenExplained_ThenOnlyTheBilledTrackIsMarkedWonAndTracksBelowThresholdPayNothing()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).Staff(25)), ("99490", 1));

        Assert.Equal(Track.CcmNonComplex, Assert.Single(c.Explanation.Candidates, t => t.Won).Track);
        var practitioner = c.Explanation.Candidates.Single(t => t.Track == Track.CcmPractitioner);
        Assert.True(practitioner.IsCandidate);
        Assert.Equal(0, practitioner.AmountCents);
        Assert.Empty(practitioner.Lines);
        Assert.Equal(
            "99490 ($60.49): the only track that reaches its threshold; CcmComplex not a candidate: "
            + "no moderate or high MDM recorded by the billing practitioner this month",
            c.Explanation.WinnerWhy);
    }

    [Fact]
    [Trait("Rule", "R-HOLD-1")]
    [Trait("Rule", "R-CODE-4")]
    public void GivenNoFeeScheduleForTheYear_WhenHeld_ThenNoTrackWinsAndNoneIsPriced()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Schedules = [];

        var h = OutcomeAssert.Hold(Eval(b), HoldReason.FeeScheduleMissing);

        Assert.DoesNotContain(h.Explanation.Candidates, t => t.Won);
        Assert.All(h.Explanation.Candidates, t => Assert.Null(t.AmountCents));
        Assert.Null(h.Explanation.WinnerWhy);
    }

    [Fact]
    [Trait("Rule", "R-CODE-4")]
    [Trait("Rule", "R-CPLX-1")]
    public void GivenThreePayingTracks_WhenExplained_ThenTheWinnerBeatsBothOthersOnPayment()
    {
        var b = FactsBuilder.For(2025, 3).Staff(90).MdPersonally(30).ComplexCriteriaMet();

        var c = OutcomeAssert.Claim(Eval(b), ("99487", 1), ("99489", 2));

        Assert.Equal(
            "99487 + 99489×2 ($272.69) beats 99490 + 99439×2 ($152.35) and 99491 ($82.16): highest payment (R-CODE-4)",
            c.Explanation.WinnerWhy);
        Assert.Equal(Track.CcmComplex, Assert.Single(c.Explanation.Candidates, t => t.Won).Track);
    }

    [Fact]
    [Trait("Rule", "R-CODE-4")]
    [Trait("Rule", "R-FEE-1")]
    public void GivenTwoTracksWithEqualPayment_WhenChoosing_ThenFewerClaimLinesWin()
    {
        // A schedule where the staff add-on is priced at zero: 99490 + 99439 pays what 99491 alone pays.
        var fs = new FeeSchedule(2025, 10m, null, new Dictionary<string, decimal> { ["99490"] = 1m, ["99439"] = 0m, ["99491"] = 1m });
        var b = FactsBuilder.For(2025, 3).Staff(10).MdPersonally(30);
        b.Schedules = [fs];

        var c = OutcomeAssert.Claim(Eval(b), ("99491", 1));

        var staff = c.Explanation.Candidates.Single(t => t.Track == Track.CcmNonComplex);
        Assert.Equal(new[] { ("99490", 1), ("99439", 1) }, staff.Lines.Select(l => (l.Code, l.Units)).ToArray());
        Assert.StartsWith("99491 ($10.00) beats 99490 + 99439 ($10.00): equal payment, fewer claim lines (R-CODE-4)", c.Explanation.WinnerWhy);
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    public void GivenStaffTimeBetweenAddOnSteps_WhenUncapped_ThenNoMinutesAreReportedBeyondACap()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).Staff(45)), ("99490", 1), ("99439", 1));

        Assert.Empty(c.Explanation.BeyondCap);
    }

    [Fact]
    [Trait("Rule", "R-CODE-6")]
    public void GivenTwoTracksOverTheirAddOnCaps_WhenEvaluated_ThenBothReportTheMinutesBeyondTheCap()
    {
        var b = FactsBuilder.For(2025, 3).Staff(150).ComplexCriteriaMet();
        b.Mue = new MueTable(new Dictionary<string, int> { ["99439"] = 1, ["99489"] = 1 });

        var c = OutcomeAssert.Claim(Eval(b), ("99487", 1), ("99489", 1));

        Assert.Equal(
            new[] { new MinutesBeyondCap(Track.CcmNonComplex, "99439", 1, 110), new MinutesBeyondCap(Track.CcmComplex, "99489", 1, 60) },
            c.Explanation.BeyondCap.ToArray());
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    public void GivenAnEntryStartingAtLocalMidnight_WhenReleasedEarly_ThenItCountsForThatDayNotThePreviousOne()
    {
        var b = FactsBuilder.For(2025, 3).Entry(15, Local(2025, 3, 3, 10)).Entry(10, Local(2025, 3, 4, 0));

        var r = EarlyRelease.Evaluate(b.Build(), Local(2025, 3, 20, 12));

        Assert.Equal(new DateOnly(2025, 3, 4), r.ReleaseDate);
        Assert.Throws<ArgumentNullException>(() => EarlyRelease.Evaluate(null!, Local(2025, 3, 20, 12)));
    }

    [Theory]
    [Trait("Rule", "R-CLOSE-3")]
    [Trait("Rule", "R-CPLX-1")]
    [InlineData(5, 2, 5)]
    [InlineData(2, 7, 7)]
    public void GivenOnlyComplexCodesPriced_WhenReleasedEarly_ThenTheReleaseWaitsForTheMdmAndTheRevision(int mdmDay, int revisionDay, int expectedDay)
    {
        var fs = new FeeSchedule(2025, 32.3465m, null, new Dictionary<string, decimal> { ["99487"] = 4.07m, ["99489"] = 2.18m });
        var b = FactsBuilder.For(2025, 3).Entry(60, Local(2025, 3, 3, 9));
        b.Schedules = [fs];
        b.Mdm.Add(new MdmAssessment(new DateOnly(2025, 3, mdmDay), MdmLevel.Moderate, Md));
        b.Revisions.Add(Local(2025, 3, revisionDay, 10));

        var r = EarlyRelease.Evaluate(b.Build(), Local(2025, 3, 20, 12));

        Assert.Equal(new DateOnly(2025, 3, expectedDay), r.ReleaseDate);
        OutcomeAssert.Claim(r.Outcome, ("99487", 1));
    }

    [Fact]
    [Trait("Rule", "R-EXCL-5")]
    public void GivenTcmOnTheFirstDayItIsAllowed_WhenTheDateOfServiceIsThatDay_ThenItIsOnlyNoted()
    {
        var b = FactsBuilder.For(2020, 1).Entry(25, Local(2020, 1, 1, 8));
        b.DeathDate = new DateOnly(2020, 1, 1);
        b.Schedules.Add(new FeeSchedule(2020, 36.0896m, null, Fee2025.TotalRvus));
        b.BilledElsewhere.Add(new BilledService("99495", OtherMd, new DateOnly(2020, 1, 1)));

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.Contains("99495 (TCM) in the same month is allowed from 2020-01-01 (R-EXCL-5).", c.Explanation.Notes);
    }
    [Fact]
    [Trait("Rule", "R-CODE-4")]
    public void GivenTwoSingleLineTracksWithEqualPayment_WhenChoosing_ThenCatalogueOrderDecides()
    {
        // Without 99439 in the schedule the staff track bills 99490 alone, at the price of 99491.
        var fs = new FeeSchedule(2025, 10m, null, new Dictionary<string, decimal> { ["99490"] = 1m, ["99491"] = 1m });
        var b = FactsBuilder.For(2025, 3).Staff(10).MdPersonally(30);
        b.Schedules = [fs];

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.Equal(Track.CcmNonComplex, c.Track);
    }
}
