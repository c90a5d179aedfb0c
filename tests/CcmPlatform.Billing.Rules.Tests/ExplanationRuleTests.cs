using CcmPlatform.Billing.Rules;
using static CcmPlatform.Billing.Rules.Tests.FactsBuilder;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>Every outcome cites the rules it applied and says why in words (issue: "explain each decision").</summary>
public sealed class ExplanationRuleTests
{
    private static MonthOutcome Eval(FactsBuilder b) => BillingEngine.Evaluate(b.Build());

    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    public void GivenTheCatalogue_WhenListed_ThenEveryRuleHasASummaryAndDatedRulesApplyOnlyInTheirWindow()
    {
        Assert.All(RuleCatalog.All, kv =>
        {
            Assert.Equal(kv.Key, kv.Value.Id);
            Assert.False(string.IsNullOrWhiteSpace(kv.Value.Summary), kv.Key);
        });
        Assert.False(RuleCatalog.Applies(RuleCatalog.Apcm1, new DateOnly(2024, 12, 31)));
        Assert.True(RuleCatalog.Applies(RuleCatalog.Apcm1, new DateOnly(2025, 1, 1)));
        Assert.True(RuleCatalog.Applies(RuleCatalog.Excl5, new DateOnly(2019, 12, 31)));
        Assert.False(RuleCatalog.Applies(RuleCatalog.Excl5, new DateOnly(2020, 1, 1)));
        Assert.True(RuleCatalog.Applies("R-UNKNOWN-1", new DateOnly(2020, 1, 1)));
    }

    [Fact]
    [Trait("Rule", "R-CODE-4")]
    [Trait("Rule", "R-FEE-2")]
    public void GivenAPlainClaim_WhenExplained_ThenItCitesEveryRuleOnThePath()
    {
        var c = Assert.IsType<MonthOutcome.Claim>(Eval(FactsBuilder.For(2025, 3).Staff(25)));

        string[] expected =
        [
            RuleCatalog.Fact1, RuleCatalog.Elig4, RuleCatalog.Elig5, RuleCatalog.Cons1, RuleCatalog.Cons2, RuleCatalog.Cons3,
            RuleCatalog.Time1, RuleCatalog.Time2, RuleCatalog.Time3, RuleCatalog.Time4, RuleCatalog.Time5,
            RuleCatalog.Code3, RuleCatalog.Code4, RuleCatalog.Code5, RuleCatalog.Excl1, RuleCatalog.Excl3, RuleCatalog.Excl4,
            RuleCatalog.Excl5, RuleCatalog.Excl6, RuleCatalog.Hold1, RuleCatalog.Fee1, RuleCatalog.Fee2, RuleCatalog.Close1,
        ];
        Assert.All(expected, id => Assert.Contains(id, c.Explanation.RulesApplied));
        Assert.DoesNotContain(RuleCatalog.Elig3, c.Explanation.RulesApplied);
        Assert.DoesNotContain(RuleCatalog.Init2, c.Explanation.RulesApplied);
        Assert.DoesNotContain(RuleCatalog.Elig1, c.Explanation.RulesApplied);
        Assert.Equal(c.Explanation.RulesApplied.Count, c.Explanation.RulesApplied.Distinct().Count());
    }

    [Fact]
    [Trait("Rule", "R-ELIG-3")]
    [Trait("Rule", "R-INIT-2")]
    public void GivenAPcmMonthWithG0506Time_WhenExplained_ThenElig3AndInit2AreCited()
    {
        var b = FactsBuilder.For(2025, 5);
        b.Enrollments[0] = new ProgramEnrollment(CareProgram.Pcm, new DateOnly(2015, 1, 1));
        b.Consents[0] = b.Consents[0] with { Program = CareProgram.Pcm };
        b.Staff(40, CareProgram.Pcm).Staff(15, CareProgram.G0506);

        var c = OutcomeAssert.Claim(Eval(b), ("99426", 1));

        Assert.Contains(RuleCatalog.Elig3, c.Explanation.RulesApplied);
        Assert.Contains(RuleCatalog.Init2, c.Explanation.RulesApplied);
        Assert.Equal(15, c.Explanation.NotCounted.Where(n => n.Reason == NotCountableReason.G0506Time).Sum(n => n.Minutes));
    }

    [Fact]
    [Trait("Rule", "R-ELIG-1")]
    public void GivenOneConditionGroupInCcm_WhenEvaluated_ThenNotEligibleCitingElig1()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Conditions[1] = new QualifyingCondition("I11.9", "hypertension");

        var n = OutcomeAssert.NotBillable(Eval(b), NotBillableReason.NotEligible, "1 qualifying condition group(s); CCM needs two or more");
        Assert.Contains(RuleCatalog.Elig1, n.Explanation.RulesApplied);
    }

    [Fact]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenEachDocumentationGap_WhenHeld_ThenTheDetailSaysWhatIsMissing()
    {
        var noPlan = FactsBuilder.For(2025, 3).Staff(25);
        noPlan.PlanVersions.Clear();
        Assert.Equal("no signed care-plan version was in force in the month", OutcomeAssert.Hold(Eval(noPlan), HoldReason.NoActiveCarePlan).Detail);

        var notShared = FactsBuilder.For(2025, 3).Staff(25);
        notShared.PlanVersions[0] = notShared.PlanVersions[0] with { SharedAtUtc = null };
        Assert.Equal("the active care-plan version was not given to the patient on or before the date of service",
            OutcomeAssert.Hold(Eval(notShared), HoldReason.CarePlanNotShared).Detail);

        var noDx = FactsBuilder.For(2025, 3).Entry(25, Local(2025, 3, 4), conditions: [" "]);
        noDx.Conditions.Clear();
        noDx.Conditions.Add(new QualifyingCondition("", "g1"));
        noDx.Conditions.Add(new QualifyingCondition(" ", "g2"));
        Assert.Equal("no ICD-10-CM code on counted entries or qualifying conditions", OutcomeAssert.Hold(Eval(noDx), HoldReason.NoBillableDiagnosis).Detail);

        var noFees = FactsBuilder.For(2026, 3).Staff(25);
        var h = OutcomeAssert.Hold(Eval(noFees), HoldReason.FeeScheduleMissing);
        Assert.Equal("no fee schedule loaded for 2026", h.Detail);
        Assert.Contains(h.Explanation.Notes, n => n.StartsWith("No fee schedule is loaded for 2026", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Rule", "R-FEE-2")]
    [Trait("Rule", "R-FEE-1")]
    public void GivenQmbAndQpFacts_WhenClaimed_ThenTheNotesSaySo()
    {
        var qmb = FactsBuilder.For(2025, 3).Staff(25);
        qmb.Coverage = qmb.Coverage! with { Qmb = true };
        var c = Assert.IsType<MonthOutcome.Claim>(Eval(qmb));
        Assert.Equal(0, c.CoinsuranceCents);
        Assert.Contains("QMB: the patient owes no coinsurance (R-FEE-2).", c.Explanation.Notes);

        var plain = Assert.IsType<MonthOutcome.Claim>(Eval(FactsBuilder.For(2025, 3).Staff(25)));
        Assert.DoesNotContain(plain.Explanation.Notes, n => n.StartsWith("Priced with", StringComparison.Ordinal) || n.StartsWith("No fee schedule", StringComparison.Ordinal));

        var rvus = Fee2025.TotalRvus.ToDictionary(k => k.Key, v => v.Value);
        var qp = FactsBuilder.For(2026, 3).Staff(25);
        qp.Schedules = [new FeeSchedule(2026, 33.4009m, 33.5675m, rvus)];
        Assert.DoesNotContain(Assert.IsType<MonthOutcome.Claim>(Eval(qp)).Explanation.Notes, n => n.StartsWith("Priced with", StringComparison.Ordinal));
        qp.Practitioners[0] = qp.Practitioners[0] with { QpYears = [2026] };
        Assert.Contains("Priced with the 2026 Qualifying APM Participant conversion factor 33.5675.", Assert.IsType<MonthOutcome.Claim>(Eval(qp)).Explanation.Notes);
        qp.Schedules = [new FeeSchedule(2026, 33.4009m, null, rvus)];
        var noQpFactor = Assert.IsType<MonthOutcome.Claim>(Eval(qp));
        Assert.DoesNotContain(noQpFactor.Explanation.Notes, n => n.StartsWith("Priced with", StringComparison.Ordinal));
        Assert.Equal(6246 * 1, noQpFactor.Lines[0].UnitPriceCents);
    }

    [Fact]
    [Trait("Rule", "R-CPLX-1")]
    public void GivenNoMdm_WhenComplexTrackIsConsidered_ThenTheReasonNamesTheMissingMdm()
    {
        var c = Assert.IsType<MonthOutcome.Claim>(Eval(FactsBuilder.For(2025, 3).Staff(95)));
        Assert.Equal("no moderate or high MDM recorded by the billing practitioner this month",
            c.Explanation.Candidates.Single(t => t.Track == Track.CcmComplex).NotCandidateWhy);
    }
}
