using System.Globalization;
using CcmPlatform.Billing.Rules;
using static CcmPlatform.Billing.Rules.Tests.FactsBuilder;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>Rule tests beyond the public cases: pricing data, gates, ledger, validation.</summary>
public sealed class EngineRuleTests
{
    private static MonthOutcome Eval(FactsBuilder b) => BillingEngine.Evaluate(b.Build());

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public void GivenThe2025Csv_WhenParsed_ThenEveryUnitPriceEqualsTheNationalNonFacilityPayment()
    {
        var csv = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "fee-schedule-2025.csv"));
        var fs = FeeSchedule.Parse(csv, 2025);
        Assert.Equal(32.3465m, fs.ConversionFactor);
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(29, rows.Length);
        foreach (var r in rows)
            Assert.Equal((long)(decimal.Parse(r[11], CultureInfo.InvariantCulture) * 100), fs.PriceCents(r[0], false));
        Assert.Null(fs.PriceCents("99999", false));
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public void GivenACsvWithoutTheRvuColumn_WhenParsed_ThenFormatException()
    {
        Assert.Throws<FormatException>(() => FeeSchedule.Parse("hcpcs,conv_factor\n99490,32.3465\n", 2025));
        Assert.Throws<FormatException>(() => FeeSchedule.Parse("", 2025));
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    [Trait("Rule", "R-CODE-5")]
    public void Given2026ScheduleWithQpFactorAndAQpPractitioner_WhenEvaluated_ThenPricedWithTheQpConversionFactor()
    {
        var rvus = Fee2025.TotalRvus.ToDictionary(k => k.Key, v => v.Value);
        var b = FactsBuilder.For(2026, 3).Staff(20);
        b.Schedules = [Fee2025, new FeeSchedule(2026, 33.4009m, 33.5675m, rvus)];
        Assert.Equal(6246, Assert.IsType<MonthOutcome.Claim>(Eval(b)).TotalCents); // 1.87 × 33.4009 = 62.4597
        b.Practitioners[0] = b.Practitioners[0] with { QpYears = [2026] };
        Assert.Equal(6277, Assert.IsType<MonthOutcome.Claim>(Eval(b)).TotalCents); // 1.87 × 33.5675 = 62.7712
    }

    [Fact]
    [Trait("Rule", "R-CODE-5")]
    public void GivenAScheduleWithout99439_WhenStaff45_ThenOnly99490IsACandidateLine()
    {
        var rvus = Fee2025.TotalRvus.Where(k => k.Key != "99439").ToDictionary(k => k.Key, v => v.Value);
        var b = FactsBuilder.For(2025, 3).Staff(45);
        b.Schedules = [new FeeSchedule(2025, 32.3465m, null, rvus)];
        OutcomeAssert.Claim(Eval(b), ("99490", 1));
    }

    [Fact]
    [Trait("Rule", "R-HOLD-1")]
    [Trait("Rule", "R-CONS-2")]
    public void GivenBillingPractitionerChangedAndPlanSignedByThePreviousOne_WhenEvaluated_ThenHeldPlanNotSigned()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Practitioner = OtherMd;
        b.Assignments = [new(Md, Local(2015, 1, 1), Local(2025, 2, 1)), new(OtherMd, Local(2025, 2, 1))];
        b.Consents.Add(new("c2", CareProgram.Ccm, OtherMd, Local(2025, 2, 1)));
        var h = OutcomeAssert.Hold(Eval(b), HoldReason.PlanNotSigned);
        Assert.Equal(OtherMd, h.Explanation.BillingPractitionerId);
    }

    [Fact]
    [Trait("Rule", "R-CONS-2")]
    public void GivenConsentOnlyForThePreviousPractitioner_WhenEvaluated_ThenMinutesDoNotCount()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Assignments = [new(OtherMd, Local(2025, 1, 1))];
        b.PlanVersions = [b.PlanVersions[0] with { SignedByPractitionerId = OtherMd }];
        OutcomeAssert.NotBillable(Eval(b), NotBillableReason.NoConsent, "no consent on file");
    }

    [Fact]
    [Trait("Rule", "R-CONS-3")]
    public void GivenConsentRevokedInJune_WhenJulyEvaluated_ThenJulyMinutesAreNotCountable()
    {
        var b = FactsBuilder.For(2025, 7).Staff(30);
        b.Consents = [new("c1", CareProgram.Ccm, Md, Local(2024, 1, 2), RevokedAtUtc: Local(2025, 6, 20))];
        var n = OutcomeAssert.NotBillable(Eval(b), NotBillableReason.NoConsent, "no consent on file");
        Assert.All(n.Explanation.NotCounted, x => Assert.Equal(NotCountableReason.AfterConsentEnded, x.Reason));
    }

    [Fact]
    [Trait("Rule", "R-TIME-4")]
    public void GivenAnInpatientStay_WhenEntriesStartInsideIt_ThenTheyAreNotCountable()
    {
        var b = FactsBuilder.For(2025, 3).Entry(20, Local(2025, 3, 10)).Entry(15, Local(2025, 3, 20));
        b.Stays = [new(Local(2025, 3, 9), Local(2025, 3, 12), FacilityKind.Hospital)];
        var n = OutcomeAssert.NotBillable(Eval(b), NotBillableReason.BelowThreshold, "15 of 20 minutes");
        Assert.Contains(n.Explanation.NotCounted, x => x is { Reason: NotCountableReason.Inpatient, Minutes: 20 });
    }

    [Fact]
    [Trait("Rule", "R-TIME-4")]
    public void GivenDeathAtAnInstant_WhenAnEntryStartsLaterThatDay_ThenItDoesNotCount()
    {
        var b = FactsBuilder.For(2025, 3).Entry(20, Local(2025, 3, 10, 9)).Entry(20, Local(2025, 3, 10, 16));
        b.DiedAtUtc = Local(2025, 3, 10, 12);
        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));
        Assert.Equal(new DateOnly(2025, 3, 10), c.DateOfService);
        Assert.Equal(20, c.Explanation.ClinicalStaffMinutes);
    }

    [Fact]
    [Trait("Rule", "R-TIME-3")]
    public void GivenAPractitionerWhoDoesNotBill_WhenTheyLog30Minutes_ThenTheyCountAsClinicalStaff()
    {
        var b = FactsBuilder.For(2025, 3).Entry(30, Local(2025, 3, 5), StaffRoleKind.Practitioner, OtherMd, staffId: "md2");
        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));
        Assert.Equal((30, 0), (c.Explanation.ClinicalStaffMinutes, c.Explanation.PractitionerMinutes));
    }

    [Fact]
    [Trait("Rule", "R-TIME-7")]
    public void GivenAVoidedEntry_WhenEvaluated_ThenItDoesNotCount()
    {
        var b = FactsBuilder.For(2025, 3).Staff(20);
        var f = b.Build();
        f = f with { TimeEntries = [f.TimeEntries[0] with { Voided = true }] };
        var n = OutcomeAssert.NotBillable(BillingEngine.Evaluate(f), NotBillableReason.BelowThreshold, "0 of 20 minutes");
        Assert.Equal(NotCountableReason.Voided, Assert.Single(n.Explanation.NotCounted).Reason);
    }

    [Fact]
    [Trait("Rule", "R-EXCL-4")]
    public void GivenPcmBilledByADifferentPractitioner_WhenCcmEvaluated_ThenBillableButFlaggedForReview()
    {
        var b = FactsBuilder.For(2025, 5).Staff(25);
        b.BilledElsewhere = [new("99426", "cardio", new DateOnly(2025, 5, 31))];
        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));
        Assert.Contains(c.Explanation.Notes, n => n.StartsWith("Review: 99426", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Rule", "R-EXCL-6")]
    public void GivenRpmAndBhiBilled_WhenCcmEvaluated_ThenStillA99490Claim()
    {
        var b = FactsBuilder.For(2025, 5).Staff(25);
        b.BilledElsewhere = [new("99457", Md, new DateOnly(2025, 5, 31)), new("99484", Md, new DateOnly(2025, 5, 31))];
        OutcomeAssert.Claim(Eval(b), ("99490", 1));
    }

    [Fact]
    [Trait("Rule", "R-EXCL-5")]
    public void GivenTheCatalog_WhenAskedAboutTcmConflict_ThenItAppliesOnlyBefore2020()
    {
        Assert.True(RuleCatalog.Applies("R-EXCL-5", new DateOnly(2019, 12, 31)));
        Assert.False(RuleCatalog.Applies("R-EXCL-5", new DateOnly(2020, 1, 1)));
    }

    [Fact]
    [Trait("Rule", "R-APCM-1")]
    public void GivenApcmTwoConditionsNotQmb_WhenEvaluated_ThenG0557At4884WithCoinsurance()
    {
        var b = FactsBuilder.For(2025, 5);
        b.Enrollments = [new(CareProgram.Apcm, new DateOnly(2025, 1, 1))];
        b.Consents = [new("a1", CareProgram.Apcm, Md, Local(2025, 1, 2))];
        b.InitiatingVisitRequired = null;
        b.VisitHistory = [new("99214", Md, new DateOnly(2023, 3, 1))]; // seen within 3 years: no initiating visit needed
        var c = OutcomeAssert.Claim(Eval(b), ("G0557", 1));
        Assert.Equal((4884L, 977L), (c.TotalCents, c.CoinsuranceCents));
    }

    [Fact]
    [Trait("Rule", "R-APCM-1")]
    [Trait("Rule", "R-INIT-1")]
    public void GivenApcmNotSeenIn3YearsAndNoInitiatingVisit_WhenEvaluated_ThenNotBillableNoInitiatingVisit()
    {
        var b = FactsBuilder.For(2025, 5);
        b.Enrollments = [new(CareProgram.Apcm, new DateOnly(2025, 1, 1))];
        b.Consents = [new("a1", CareProgram.Apcm, Md, Local(2025, 1, 2))];
        b.InitiatingVisitRequired = null;
        b.VisitHistory = [new("99214", Md, new DateOnly(2021, 3, 1))];
        Assert.Equal(NotBillableReason.NoInitiatingVisit, Assert.IsType<MonthOutcome.NotBillable>(Eval(b)).Reason);
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    public void GivenMoreThan12DiagnosisCodes_WhenClaimed_ThenAtMost12()
    {
        var b = FactsBuilder.For(2025, 3);
        b.Entry(25, Local(2025, 3, 5), conditions: Enumerable.Range(0, 15).Select(i => $"E11.{i}").ToArray());
        Assert.Equal(12, Assert.IsType<MonthOutcome.Claim>(Eval(b)).Diagnoses.Count);
    }

    [Fact]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenNoDiagnosisAnywhere_WhenThresholdReached_ThenHeldNoBillableDiagnosis()
    {
        var b = FactsBuilder.For(2025, 3);
        b.Entry(25, Local(2025, 3, 5), conditions: [" "]);
        b.Conditions = [new("", "a"), new("", "b")];
        OutcomeAssert.Hold(Eval(b), HoldReason.NoBillableDiagnosis);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-1")]
    public void GivenCcmWithOneConditionGroup_WhenEvaluated_ThenNotEligible()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Conditions = [new("E11.9", "diabetes"), new("E11.65", "diabetes")];
        Assert.Equal(NotBillableReason.NotEligible, Assert.IsType<MonthOutcome.NotBillable>(Eval(b)).Reason);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-1")]
    public void GivenConditionsInSeveralGroupsEach_WhenEvaluated_ThenEachCountsForOneGroupChosenToCoverTheMost()
    {
        // Diabetic nephropathy (E11.21) is in both CCW diabetes (16) and chronic kidney disease (21).
        var alone = FactsBuilder.For(2025, 3).Staff(25);
        alone.Conditions = [new("E11.21", "ccw:16|ccw:21")];
        var two = FactsBuilder.For(2025, 3).Staff(25);
        two.Conditions = [new("E11.21", "ccw:16|ccw:21"), new("E11.29", "ccw:16|ccw:21")];
        var withSingle = FactsBuilder.For(2025, 3).Staff(25);
        withSingle.Conditions = [new("E11.9", "ccw:16"), new("E11.21", "ccw:16|ccw:21")];
        var sameGroupOnly = FactsBuilder.For(2025, 3).Staff(25);
        sameGroupOnly.Conditions = [new("E11.9", "ccw:16"), new("E11.65", "ccw:16"), new("E11.21", "ccw:16")];

        OutcomeAssert.NotBillable(Eval(alone), NotBillableReason.NotEligible, "1 qualifying condition group(s); CCM needs two or more");
        OutcomeAssert.Claim(Eval(two), ("99490", 1));
        OutcomeAssert.Claim(Eval(withSingle), ("99490", 1));
        Assert.Equal(NotBillableReason.NotEligible, Assert.IsType<MonthOutcome.NotBillable>(Eval(sameGroupOnly)).Reason);
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    public void GivenBelowThresholdAndNoPlan_WhenEvaluated_ThenNotBillableWithTheMissingPlanAsSecondary()
    {
        var b = FactsBuilder.For(2025, 3).Staff(10);
        b.PlanVersions = [];
        var n = OutcomeAssert.NotBillable(Eval(b), NotBillableReason.BelowThreshold, "10 of 20 minutes");
        Assert.Equal([HoldReason.NoActiveCarePlan], n.Secondary);
    }

    [Fact]
    [Trait("Rule", "R-FEE-2")]
    public void GivenAPracticeThatWaivesCoinsurance_WhenClaimed_ThenTheExplanationFlagsIt()
    {
        var b = FactsBuilder.For(2025, 3).Staff(20);
        b.Flags = new PracticeFlags(WaivesCoinsurance: true);
        var c = Assert.IsType<MonthOutcome.Claim>(Eval(b));
        Assert.Equal(1210, c.CoinsuranceCents);
        Assert.Contains(c.Explanation.Notes, n => n.Contains("waives coinsurance", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Rule", "R-TIME-2")]
    public void GivenDstStartInMarch_WhenMonthBoundsComputed_ThenTheyAreLocalMidnights()
    {
        var m = new ServiceMonth(2025, 3);
        Assert.Equal(new DateTime(2025, 3, 1, 5, 0, 0, DateTimeKind.Utc), m.StartUtc(Ny));
        Assert.Equal(new DateTime(2025, 4, 1, 4, 0, 0, DateTimeKind.Utc), m.EndUtc(Ny));
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    public void GivenStaff12Minutes_WhenLedgerSummarized_Then8FurtherMinutesRaiseThePayment()
    {
        var v = Ledger.Summarize(FactsBuilder.For(2025, 3).Staff(12).Build());
        Assert.Equal((12, 0L, 8), (v.ClinicalStaffMinutes, v.BestPaymentCents, v.FurtherStaffMinutesToRaisePayment));
    }

    [Fact]
    [Trait("Rule", "R-CODE-6")]
    [Trait("Rule", "R-CPLX-1")]
    public void GivenStaff61Minutes_WhenLedgerSummarized_ThenNoRiseWithoutComplexAnd29WithIt()
    {
        Assert.Null(Ledger.Summarize(FactsBuilder.For(2025, 3).Staff(61).Build()).FurtherStaffMinutesToRaisePayment);
        var v = Ledger.Summarize(FactsBuilder.For(2025, 3).ComplexCriteriaMet().Staff(61).Build());
        Assert.Equal((15235L, 29), (v.BestPaymentCents, v.FurtherStaffMinutesToRaisePayment));
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    [Trait("Rule", "R-FACT-1")]
    public void GivenEntryMinutesAndOccurredAt_WhenValidated_ThenOutOfRangeAndFutureAreRefused()
    {
        Assert.False(TimeEntryRules.ValidateMinutes(0).Allowed);
        Assert.False(TimeEntryRules.ValidateMinutes(241).Allowed);
        Assert.True(TimeEntryRules.ValidateMinutes(240).Allowed);
        var now = new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal(422, TimeEntryRules.ValidateOccurredAt(now.AddMinutes(1), now).StatusCode);
        Assert.True(TimeEntryRules.ValidateOccurredAt(now.AddDays(-30), now).Allowed);
    }

    [Fact]
    [Trait("Rule", "R-CONS-3")]
    public void GivenRevocationThenNewConsent_WhenEntryAfterRevocationMonthValidated_ThenAllowed()
    {
        Consent[] consents =
        [
            new("c1", CareProgram.Ccm, Md, Local(2024, 1, 2), RevokedAtUtc: Local(2025, 6, 20)),
            new("c2", CareProgram.Ccm, Md, Local(2025, 7, 1)),
        ];
        Assert.True(TimeEntryRules.ValidateAgainstConsent(CareProgram.Ccm, Local(2025, 7, 3), consents, Zone).Allowed);
        Assert.True(TimeEntryRules.ValidateAgainstConsent(CareProgram.Rpm, Local(2025, 7, 3), consents[..1], Zone).Allowed);
    }

    [Fact]
    [Trait("Rule", "R-CODE-4")]
    public void GivenAClaim_WhenExplanationRendered_ThenItListsEveryTrackAndTheWinnerReason()
    {
        var text = Assert.IsType<MonthOutcome.Claim>(Eval(FactsBuilder.For(2025, 3).ComplexCriteriaMet().Staff(95))).Explanation.ToText();
        Assert.Contains("track CcmNonComplex", text);
        Assert.Contains("track CcmComplex", text);
        Assert.Contains("track CcmPractitioner", text);
        Assert.Contains("[billed]", text);
        Assert.Contains("R-CODE-4", text);
    }
}
