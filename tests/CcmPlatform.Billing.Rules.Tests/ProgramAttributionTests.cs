using CcmPlatform.Billing.Rules;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>R-TIME-5: one program per entry; only CCM-attributed minutes feed CCM codes.</summary>
public sealed class ProgramAttributionTests
{
    [Fact]
    [Trait("Rule", "R-TIME-5")]
    public void GivenCcm15AndRpm30AndBhi10Minutes_WhenEvaluated_ThenOnlyTheCcmMinutesCount()
    {
        var b = FactsBuilder.For(2025, 3).Staff(15).Staff(30, CareProgram.Rpm).Staff(10, CareProgram.Bhi);

        var n = OutcomeAssert.NotBillable(BillingEngine.Evaluate(b.Build()), NotBillableReason.BelowThreshold, "15 of 20 minutes");

        Assert.Equal(15, n.Explanation.ClinicalStaffMinutes);
        Assert.Equal(40, n.Explanation.NotCounted.Where(x => x.Reason == NotCountableReason.OtherProgram).Sum(x => x.Minutes));
        Assert.Contains(RuleCatalog.Time5, n.Explanation.RulesApplied);
    }

    [Fact]
    [Trait("Rule", "R-TIME-5")]
    public void GivenPcmAttributedMinutesForACcmPatient_WhenEvaluated_ThenTheyDoNotReachTheCcmThreshold()
    {
        var b = FactsBuilder.For(2025, 3).Staff(19).Staff(40, CareProgram.Pcm);

        OutcomeAssert.NotBillable(BillingEngine.Evaluate(b.Build()), NotBillableReason.BelowThreshold, "19 of 20 minutes");

        b.Staff(1);
        OutcomeAssert.Claim(BillingEngine.Evaluate(b.Build()), ("99490", 1));
    }

    [Fact]
    [Trait("Rule", "R-TIME-5")]
    [Trait("Rule", "R-EXCL-6")]
    public void GivenTcmAttributedMinutes_WhenCcmReaches20OnItsOwn_ThenTheClaimIgnoresTheTcmMinutes()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25).Staff(60, CareProgram.Tcm);

        var c = OutcomeAssert.Claim(BillingEngine.Evaluate(b.Build()), ("99490", 1));

        Assert.Equal(25, c.Explanation.ClinicalStaffMinutes);
    }
}
