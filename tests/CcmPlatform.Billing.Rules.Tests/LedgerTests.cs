using CcmPlatform.Billing.Rules;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>The worklist ledger: countable minutes per track, best payment now, and the minutes needed to raise it.</summary>
public sealed class LedgerTests
{
    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    public void GivenAPatientNotEnrolledThisMonth_WhenSummarized_ThenNothingIsCountedOrPriced()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Enrollments = [];

        var v = Ledger.Summarize(b.Build());

        Assert.False(v.Enrolled);
        Assert.Equal(0, v.ClinicalStaffMinutes);
        Assert.Empty(v.CountableMinutes);
        Assert.Equal(0, v.BestPaymentCents);
        Assert.False(v.Priced);
        Assert.Null(v.FurtherStaffMinutesToRaisePayment);
    }

    [Fact]
    [Trait("Rule", "R-APCM-1")]
    public void GivenAnApcmMonth_WhenSummarized_ThenThereAreNoTimeTracksToRaise()
    {
        var b = FactsBuilder.For(2025, 4);
        b.Enrollments[0] = new ProgramEnrollment(CareProgram.Apcm, new DateOnly(2015, 1, 1));
        b.Consents[0] = b.Consents[0] with { Program = CareProgram.Apcm };

        var v = Ledger.Summarize(b.Build());

        Assert.Equal(CareProgram.Apcm, v.Program);
        Assert.Empty(v.CountableMinutes);
        Assert.False(v.Priced);
        Assert.Null(v.FurtherStaffMinutesToRaisePayment);
    }

    [Fact]
    [Trait("Rule", "R-CPLX-1")]
    [Trait("Rule", "R-CODE-4")]
    public void GivenComplexCriteriaMet_WhenSummarized_ThenTheComplexTrackCountsStaffAndPractitionerMinutes()
    {
        var b = FactsBuilder.For(2025, 3).Staff(70).MdPersonally(20).ComplexCriteriaMet();

        var v = Ledger.Summarize(b.Build());

        Assert.Equal(
            new TrackMinutes[] { new(Track.CcmNonComplex, 90), new(Track.CcmComplex, 90), new(Track.CcmPractitioner, 20) },
            v.CountableMinutes.ToArray());
        Assert.Equal(13165 + 7052, v.BestPaymentCents);
        Assert.True(v.Priced);
        Assert.Equal(30, v.FurtherStaffMinutesToRaisePayment);
    }

    [Fact]
    [Trait("Rule", "R-PCM-1")]
    public void GivenAPcmMonth_WhenSummarized_ThenStaffAndPractitionerTracksAreShown()
    {
        var b = FactsBuilder.For(2025, 5).Staff(20, CareProgram.Pcm)
            .Entry(15, FactsBuilder.Local(2025, 5, 6, 14), StaffRoleKind.Practitioner, FactsBuilder.Md, CareProgram.Pcm, "md1");
        b.Enrollments[0] = new ProgramEnrollment(CareProgram.Pcm, new DateOnly(2015, 1, 1));
        b.Consents[0] = b.Consents[0] with { Program = CareProgram.Pcm };
        b.Conditions.RemoveAt(1);
        var v = Ledger.Summarize(b.Build());

        Assert.Equal(new TrackMinutes[] { new(Track.PcmStaff, 35), new(Track.PcmPractitioner, 15) }, v.CountableMinutes.ToArray());
        Assert.Equal(6178, v.BestPaymentCents);
        Assert.Equal(25, v.FurtherStaffMinutesToRaisePayment);
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    [Trait("Rule", "R-CODE-1")]
    public void GivenNoFeeScheduleForTheYear_WhenSummarized_ThenTheNextStepIsCountedInUnits()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Schedules = [];

        var v = Ledger.Summarize(b.Build());

        Assert.False(v.Priced);
        Assert.Equal(0, v.BestPaymentCents);
        Assert.Equal(15, v.FurtherStaffMinutesToRaisePayment);
    }

    private static string[] Codes(LedgerView v) => v.Reasons.Select(r => r.Code).ToArray();

    [Fact]
    [Trait("Rule", "R-INIT-1")]
    public void GivenMinutesButNoInitiatingVisit_WhenSummarized_ThenReasonsNameTheMissingVisitAndTheMinutes()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.InitiatingVisitRequired = true;

        var v = Ledger.Summarize(b.Build());

        Assert.Equal(["NO_INITIATING_VISIT", "MINUTES_BEFORE_INITIATING_VISIT"], Codes(v));
        Assert.Equal("25 minute(s) before the initiating visit do not count.", v.Reasons[1].Text);
        Assert.All(v.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Text)));
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    public void GivenAClaimableMonth_WhenSummarized_ThenThereAreNoReasons()
    {
        var v = Ledger.Summarize(FactsBuilder.For(2025, 3).Staff(25).Build());

        Assert.Empty(v.Reasons);
    }

    [Fact]
    [Trait("Rule", "R-CODE-5")]
    [Trait("Rule", "R-ELIG-5")]
    [Trait("Rule", "R-CONS-1")]
    public void GivenNoFeeScheduleNoPartBAndNoConsent_WhenSummarized_ThenEveryBlockerIsListed()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Schedules = [];
        b.Coverage = null;
        b.Consents = [];

        var v = Ledger.Summarize(b.Build());

        Assert.Equal(["NO_PART_B_COVERAGE", "NO_CONSENT", "FEE_SCHEDULE_MISSING", "MINUTES_BEFORE_CONSENT"], Codes(v));
        Assert.Contains("2025", v.Reasons[2].Text);
    }

    [Fact]
    [Trait("Rule", "R-PLAN-1")]
    public void GivenNoCarePlanInForce_WhenSummarized_ThenReasonIsNoActiveCarePlan()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.PlanVersions = [];

        Assert.Equal(["NO_ACTIVE_CARE_PLAN"], Codes(Ledger.Summarize(b.Build())));
    }

    [Fact]
    [Trait("Rule", "R-TIME-3")]
    [Trait("Rule", "R-TIME-1")]
    public void GivenNonClinicalAndOtherMonthMinutes_WhenSummarized_ThenOnlyThisMonthsUncountedMinutesAreReasons()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25)
            .Entry(10, FactsBuilder.Local(2025, 3, 12), StaffRoleKind.NonClinical)
            .Entry(15, FactsBuilder.Local(2025, 2, 12));

        var v = Ledger.Summarize(b.Build());

        Assert.Equal(["MINUTES_NON_CLINICAL"], Codes(v));
        Assert.StartsWith("10 minute(s)", v.Reasons[0].Text);
    }

    [Fact]
    [Trait("Rule", "R-TIME-7")]
    [Trait("Rule", "R-TIME-2")]
    public void GivenVoidedEntriesInOtherMonths_WhenSummarized_ThenOnlyThisMonthsVoidedMinutesAreNotCountable()
    {
        var b = FactsBuilder.For(2025, 11).Staff(25)
            .Entry(15, FactsBuilder.Local(2025, 11, 20))      // e2: voided, November
            .Entry(60, FactsBuilder.Local(2025, 12, 3))       // e3: voided, December
            .Entry(10, FactsBuilder.Local(2025, 10, 7))       // e4: voided, October
            .Entry(20, FactsBuilder.Local(2025, 11, 30, 23, 50)); // e5: voided, 10 minutes each side of midnight
        var f = b.Build();
        f = f with { TimeEntries = f.TimeEntries.Select(e => e.Id == "e1" ? e : e with { Voided = true }).ToList() };

        var v = Ledger.Summarize(f);

        Assert.Equal(25, v.ClinicalStaffMinutes);
        Assert.Equal(
            new NotCountedMinutes[]
            {
                new("e2", 15, NotCountableReason.Voided),
                new("e3", 60, NotCountableReason.OtherMonth),
                new("e4", 10, NotCountableReason.OtherMonth),
                new("e5", 10, NotCountableReason.Voided),
                new("e5", 10, NotCountableReason.OtherMonth),
            },
            v.NotCounted.OrderBy(n => n.EntryId).ThenBy(n => n.Reason).ToArray());
        Assert.Equal(25, v.NotCounted.Where(n => n.Reason != NotCountableReason.OtherMonth).Sum(n => n.Minutes));
        Assert.Empty(v.Reasons);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-4")]
    [Trait("Rule", "R-CLOSE-1")]
    public void GivenNoBillingPractitionerOrNoEnrollment_WhenSummarized_ThenThatIsTheOnlyReason()
    {
        var unassigned = FactsBuilder.For(2025, 3).Staff(25);
        unassigned.Assignments = [];
        var unenrolled = FactsBuilder.For(2025, 3).Staff(25);
        unenrolled.Enrollments = [];

        Assert.Equal(["NO_BILLING_PRACTITIONER"], Codes(Ledger.Summarize(unassigned.Build())));
        Assert.Equal(["NOT_ENROLLED"], Codes(Ledger.Summarize(unenrolled.Build())));
    }

    [Fact]
    [Trait("Rule", "R-ELIG-3")]
    public void GivenACcmPatientWithOneConditionGroup_WhenSummarized_ThenNotEligibleSaysCcmNeedsTwo()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Conditions.RemoveAt(1);

        var v = Ledger.Summarize(b.Build());

        Assert.Equal([new LedgerReason("NOT_ELIGIBLE", "1 qualifying condition group(s); CCM needs two or more.")], v.Reasons);
    }

    [Fact]
    [Trait("Rule", "R-PCM-1")]
    public void GivenPcmPatients_WhenOneHasAQualifyingConditionAndOneHasNone_ThenOnlyTheSecondIsNotEligible()
    {
        FactsBuilder Pcm()
        {
            var b = FactsBuilder.For(2025, 5).Staff(30, CareProgram.Pcm);
            b.Enrollments[0] = new ProgramEnrollment(CareProgram.Pcm, new DateOnly(2015, 1, 1));
            b.Consents[0] = b.Consents[0] with { Program = CareProgram.Pcm };
            return b;
        }

        var one = Pcm();
        one.Conditions.RemoveAt(1);
        var none = Pcm();
        none.Conditions.Clear();

        Assert.Empty(Ledger.Summarize(one.Build()).Reasons);
        Assert.Equal([new LedgerReason("NOT_ELIGIBLE", "No qualifying condition for PCM.")], Ledger.Summarize(none.Build()).Reasons);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-5")]
    [Trait("Rule", "R-CONS-1")]
    [Trait("Rule", "R-ELIG-4")]
    public void GivenBlockers_WhenSummarized_ThenEachReasonTellsStaffWhatIsMissing()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Coverage = null;
        b.Consents = [];
        var unassigned = FactsBuilder.For(2025, 3).Staff(25);
        unassigned.Assignments = [];
        var unenrolled = FactsBuilder.For(2025, 3).Staff(25);
        unenrolled.Enrollments = [];

        Assert.Equal(
            [
                new LedgerReason("NO_PART_B_COVERAGE", "No Medicare Part B coverage on 2025-03-31."),
                new LedgerReason("NO_CONSENT", "No CCM consent for the billing practitioner yet."),
                new LedgerReason("MINUTES_BEFORE_CONSENT", "25 minute(s) before consent do not count."),
            ],
            Ledger.Summarize(b.Build()).Reasons);
        Assert.Equal("No billing practitioner is assigned on the date of service.", Ledger.Summarize(unassigned.Build()).Reasons.Single().Text);
        Assert.Equal("Not enrolled in CCM, PCM or APCM this month.", Ledger.Summarize(unenrolled.Build()).Reasons.Single().Text);
    }

    [Fact]
    [Trait("Rule", "R-HOLD-1")]
    [Trait("Rule", "R-CONS-2")]
    public void GivenAPlanSignedByAnotherPractitionerAndNeverShared_WhenSummarized_ThenBothDocumentationGapsAreNamed()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.PlanVersions = [new CarePlanVersion("v1", FactsBuilder.Local(2025, 1, 5), FactsBuilder.OtherMd, FactsBuilder.Local(2025, 1, 5), null, null)];

        Assert.Equal(
            [
                new LedgerReason("PLAN_NOT_SIGNED", "The care plan in force is not signed by the billing practitioner."),
                new LedgerReason("CARE_PLAN_NOT_SHARED", "The care plan has not been shared with the patient."),
            ],
            Ledger.Summarize(b.Build()).Reasons);
    }

    [Fact]
    [Trait("Rule", "R-TIME-3")]
    [Trait("Rule", "R-CONS-1")]
    public void GivenUncountedMinutesOfSeveralKinds_WhenSummarized_ThenEachKindIsSummedOnceInRuleOrder()
    {
        var b = FactsBuilder.For(2025, 3)
            .Entry(12, FactsBuilder.Local(2025, 3, 3))                                    // before the consent of the 10th
            .Entry(10, FactsBuilder.Local(2025, 3, 12), StaffRoleKind.NonClinical)
            .Entry(5, FactsBuilder.Local(2025, 3, 13), StaffRoleKind.NonClinical)
            .Entry(25, FactsBuilder.Local(2025, 3, 14));
        b.Consents = [new Consent("c1", CareProgram.Ccm, FactsBuilder.Md, FactsBuilder.Local(2025, 3, 10, 8))];

        Assert.Equal(
            [
                new LedgerReason("MINUTES_NON_CLINICAL", "15 minute(s) by non-clinical staff do not count."),
                new LedgerReason("MINUTES_BEFORE_CONSENT", "12 minute(s) before consent do not count."),
            ],
            Ledger.Summarize(b.Build()).Reasons);
    }

    [Fact]
    [Trait("Rule", "R-TIME-4")]
    [Trait("Rule", "R-TIME-5")]
    public void GivenMinutesForOtherProgramsInpatientAndAfterDeath_WhenSummarized_ThenEachSaysWhyItDoesNotCount()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25)
            .Entry(5, FactsBuilder.Local(2025, 3, 6), program: CareProgram.Pcm)
            .Entry(7, FactsBuilder.Local(2025, 3, 7), program: CareProgram.G0506)
            .Entry(8, FactsBuilder.Local(2025, 3, 11))
            .Entry(9, FactsBuilder.Local(2025, 3, 22));
        b.Stays = [new InpatientStay(FactsBuilder.Local(2025, 3, 10), FactsBuilder.Local(2025, 3, 12), FacilityKind.Hospital)];
        b.DiedAtUtc = FactsBuilder.Local(2025, 3, 20);

        Assert.Equal(
            [
                new LedgerReason("MINUTES_OTHER_PROGRAM", "5 minute(s) logged for another program do not count here."),
                new LedgerReason("MINUTES_G0506", "7 minute(s) of G0506 care-planning time never count."),
                new LedgerReason("MINUTES_AFTER_DEATH", "9 minute(s) after the patient's death do not count."),
                new LedgerReason("MINUTES_INPATIENT", "8 minute(s) during an inpatient stay do not count."),
            ],
            Ledger.Summarize(b.Build()).Reasons);
    }

    [Fact]
    [Trait("Rule", "R-INIT-1")]
    public void GivenAnInitiatingVisitIsRequiredAndWasHeld_WhenSummarized_ThenNoVisitReasonIsGiven()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.InitiatingVisitRequired = true;
        b.InitiatingVisits = [new InitiatingVisit("99214", FactsBuilder.Md, FactsBuilder.Local(2025, 2, 20), FactsBuilder.Local(2025, 2, 20, 10, 30))];

        Assert.Empty(Ledger.Summarize(b.Build()).Reasons);
    }

    [Fact]
    [Trait("Rule", "R-CODE-4")]
    [Trait("Rule", "R-FEE-1")]
    public void GivenStaffAndPractitionerMinutesOrAQpPractitioner_WhenSummarized_ThenTheBestPaymentIsTheClaimsTotal()
    {
        var mixed = FactsBuilder.For(2025, 3).Staff(15).MdPersonally(10);
        var rvus = FactsBuilder.Fee2025.TotalRvus.ToDictionary(k => k.Key, v => v.Value);
        var qp = FactsBuilder.For(2026, 3).Staff(20);
        qp.Schedules = [new FeeSchedule(2026, 33.4009m, 33.5675m, rvus)];
        qp.Practitioners[0] = qp.Practitioners[0] with { QpYears = [2026] };

        foreach (var facts in new[] { mixed.Build(), qp.Build() })
        {
            var v = Ledger.Summarize(facts);
            var claim = Assert.IsType<MonthOutcome.Claim>(BillingEngine.Evaluate(facts));
            Assert.True(v.Enrolled);
            Assert.Equal(claim.TotalCents, v.BestPaymentCents);
        }
        Assert.Equal(6277, Ledger.Summarize(qp.Build()).BestPaymentCents); // 1.87 RVUs × the QP factor 33.5675
    }
}
