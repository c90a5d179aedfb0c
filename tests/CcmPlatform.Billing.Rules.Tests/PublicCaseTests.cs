using CcmPlatform.Billing.Rules;
using static CcmPlatform.Billing.Rules.Tests.FactsBuilder;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>The public test cases of ccm-rules.md §8 that concern billing.</summary>
public sealed class PublicCaseTests
{
    private static MonthOutcome Eval(FactsBuilder b) => BillingEngine.Evaluate(b.Build());

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    [Trait("Rule", "R-TIME-1")]
    [Trait("Rule", "R-CLOSE-1")]
    public void GivenCase01_Staff19MinutesInMarch_WhenMarchAndAprilEvaluated_ThenMarchNotBillable19Of20AndAprilStartsAtZero()
    {
        var b = FactsBuilder.For(2025, 3).Staff(19);
        OutcomeAssert.NotBillable(BillingEngine.Evaluate(b.Build()), NotBillableReason.BelowThreshold, "19 of 20 minutes");
        var april = BillingEngine.Evaluate(b.Build(new ServiceMonth(2025, 4)));
        var n = OutcomeAssert.NotBillable(april, NotBillableReason.BelowThreshold, "0 of 20 minutes");
        Assert.Equal(0, n.Explanation.ClinicalStaffMinutes);
        Assert.Contains(n.Explanation.NotCounted, x => x.Reason == NotCountableReason.OtherMonth && x.Minutes == 19);
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    [Trait("Rule", "R-FEE-1")]
    [Trait("Rule", "R-FEE-2")]
    public void GivenCase02_Staff20Minutes_WhenEvaluated_Then99490At6049()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).Staff(20)), ("99490", 1));
        Assert.Equal(6049, c.Lines[0].UnitPriceCents);
        Assert.Equal(6049, c.TotalCents);
        Assert.Equal(1210, c.CoinsuranceCents);
        Assert.Equal(new DateOnly(2025, 3, 31), c.DateOfService);
        Assert.Equal(MdNpi, c.BillingPractitionerNpi);
        Assert.Equal(["I10"], c.Diagnoses);
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    public void GivenCase03_Staff39Minutes_WhenEvaluated_Then99490Only()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).Staff(39)), ("99490", 1));
        Assert.Equal(6049, c.TotalCents);
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    [Trait("Rule", "R-FEE-1")]
    public void GivenCase04_Staff40Minutes_WhenEvaluated_Then99490Plus99439x1At10642()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).Staff(40)), ("99490", 1), ("99439", 1));
        Assert.Equal(4593, c.Lines[1].UnitPriceCents);
        Assert.Equal(10642, c.TotalCents);
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    [Trait("Rule", "R-CODE-6")]
    public void GivenCase05_Staff61Minutes_WhenEvaluated_Then99490Plus99439x2At15235()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).Staff(61)), ("99490", 1), ("99439", 2));
        Assert.Equal(9186, c.Lines[1].AmountCents);
        Assert.Equal(15235, c.TotalCents);
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    [Trait("Rule", "R-CODE-6")]
    public void GivenCase06_Staff100Minutes_WhenEvaluated_Then99439CappedAtTwoAnd40MinutesBeyondCapReported()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).Staff(100)), ("99490", 1), ("99439", 2));
        Assert.Equal(15235, c.TotalCents);
        var beyond = Assert.Single(c.Explanation.BeyondCap, x => x.Track == Track.CcmNonComplex);
        Assert.Equal(("99439", 2, 40), (beyond.Code, beyond.Cap, beyond.Minutes));
        Assert.Contains("40 minutes beyond the 99439 cap", c.Explanation.ToText());
    }

    [Fact]
    [Trait("Rule", "R-CPLX-1")]
    [Trait("Rule", "R-CODE-4")]
    public void GivenCase07_ComplexCriteriaMetStaff59Minutes_WhenEvaluated_ThenComplexTrackHasNoLinesAnd99490Plus99439x1()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).ComplexCriteriaMet().Staff(59)), ("99490", 1), ("99439", 1));
        var complex = Assert.Single(c.Explanation.Candidates, x => x.Track == Track.CcmComplex);
        Assert.True(complex.IsCandidate);
        Assert.Empty(complex.Lines);
        Assert.Equal(10642, c.TotalCents);
    }

    [Fact]
    [Trait("Rule", "R-CPLX-1")]
    [Trait("Rule", "R-CODE-4")]
    [Trait("Rule", "R-FEE-1")]
    public void GivenCase08_ComplexCriteriaMetStaff95Minutes_WhenEvaluated_Then99487Plus99489x1At20217BeatsNonComplex()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).ComplexCriteriaMet().Staff(95)), ("99487", 1), ("99489", 1));
        Assert.Equal(20217, c.TotalCents);
        Assert.Equal(Track.CcmComplex, c.Track);
        Assert.Equal(15235, c.Explanation.Candidates.ToArray().Amount(Track.CcmNonComplex));
        Assert.Contains("99487 + 99489 ($202.17) beats 99490 + 99439×2 ($152.35)", c.Explanation.WinnerWhy);
    }

    [Fact]
    [Trait("Rule", "R-CPLX-1")]
    public void GivenCase09_Staff75MinutesMdmLow_WhenEvaluated_ThenNotAComplexCandidateAnd99490Plus99439x2()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).ComplexCriteriaMet(MdmLevel.Low).Staff(75)), ("99490", 1), ("99439", 2));
        var complex = Assert.Single(c.Explanation.Candidates, x => x.Track == Track.CcmComplex);
        Assert.False(complex.IsCandidate);
        Assert.Equal(15235, c.TotalCents);
    }

    [Fact]
    [Trait("Rule", "R-CODE-2")]
    [Trait("Rule", "R-CODE-4")]
    public void GivenCase10_MdPersonally30Minutes_WhenEvaluated_Then99491At8216BeatsStaffTrack()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).MdPersonally(30)), ("99491", 1));
        Assert.Equal(8216, c.TotalCents);
        Assert.Equal(30, c.Explanation.PractitionerMinutes);
        Assert.Equal(6049, c.Explanation.Candidates.ToArray().Amount(Track.CcmNonComplex));
    }

    [Fact]
    [Trait("Rule", "R-CODE-2")]
    [Trait("Rule", "R-CODE-4")]
    public void GivenCase11_MdPersonally64Minutes_WhenEvaluated_ThenPractitionerTrack13974LosesTo99490Plus99439x2()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).MdPersonally(64)), ("99490", 1), ("99439", 2));
        Assert.Equal(15235, c.TotalCents);
        var md = Assert.Single(c.Explanation.Candidates, x => x.Track == Track.CcmPractitioner);
        Assert.Equal(13974, md.AmountCents);
        Assert.Equal([("99491", 1), ("99437", 1)], md.Lines.Select(l => (l.Code, l.Units)).ToArray());
    }

    [Fact]
    [Trait("Rule", "R-CONS-1")]
    [Trait("Rule", "R-TIME-4")]
    public void GivenCase12_ConsentOnThe15thAnd10Of22MinutesBefore_WhenEvaluated_Then12CountableNotBillableAnd10ShownNotCountable()
    {
        var b = FactsBuilder.For(2025, 3);
        b.Consents = [new("c1", CareProgram.Ccm, Md, Local(2025, 3, 15, 9))];
        b.Entry(10, Local(2025, 3, 10)).Entry(12, Local(2025, 3, 20));
        var n = OutcomeAssert.NotBillable(Eval(b), NotBillableReason.BelowThreshold, "12 of 20 minutes");
        var nc = Assert.Single(n.Explanation.NotCounted);
        Assert.Equal(("e1", 10, NotCountableReason.BeforeConsent), (nc.EntryId, nc.Minutes, nc.Reason));
    }

    [Fact]
    [Trait("Rule", "R-CONS-3")]
    public void GivenCase13_ConsentRevokedJune20_WhenJuneEvaluatedAndJuly3EntryValidated_ThenJune99490AndJulyEntryRefused()
    {
        var b = FactsBuilder.For(2025, 6);
        b.Consents = [new("c1", CareProgram.Ccm, Md, Local(2024, 1, 2), RevokedAtUtc: Local(2025, 6, 20, 12))];
        b.Entry(14, Local(2025, 6, 3)).Entry(10, Local(2025, 6, 25));
        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));
        Assert.Equal(24, c.Explanation.ClinicalStaffMinutes);

        var check = TimeEntryRules.ValidateAgainstConsent(CareProgram.Ccm, Local(2025, 7, 3), b.Consents, Zone);
        Assert.False(check.Allowed);
        Assert.Equal((422, "R-CONS-3"), (check.StatusCode, check.RuleId));
        Assert.True(TimeEntryRules.ValidateAgainstConsent(CareProgram.Ccm, Local(2025, 6, 30, 23, 59), b.Consents, Zone).Allowed);
    }

    [Fact]
    [Trait("Rule", "R-CODE-5")]
    [Trait("Rule", "R-TIME-4")]
    public void GivenCase14_PatientDiedJuly10_WhenEvaluated_Then99490DatedJuly10AndJuly12MinutesNotCounted()
    {
        var b = FactsBuilder.For(2025, 7);
        b.DeathDate = new DateOnly(2025, 7, 10);
        b.Entry(12, Local(2025, 7, 2)).Entry(10, Local(2025, 7, 9)).Entry(8, Local(2025, 7, 12));
        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));
        Assert.Equal(new DateOnly(2025, 7, 10), c.DateOfService);
        Assert.Equal(22, c.Explanation.ClinicalStaffMinutes);
        var nc = Assert.Single(c.Explanation.NotCounted);
        Assert.Equal(("e3", 8, NotCountableReason.AfterDeath), (nc.EntryId, nc.Minutes, nc.Reason));
    }

    [Fact]
    [Trait("Rule", "R-EXCL-1")]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenCase15_99490ByPractitionerAForJuneBilledElsewhere_WhenBEvaluatesJune_ThenHeldExclOtherPractitionerCitingA()
    {
        var b = FactsBuilder.For(2025, 6);
        b.Practitioner = OtherMd; // practitioner "B" bills the month
        b.Assignments = [new(OtherMd, Local(2025, 1, 1))];
        b.Consents = [new("c1", CareProgram.Ccm, OtherMd, Local(2025, 1, 2))];
        b.PlanVersions = [new("v1", Local(2025, 1, 3), OtherMd, Local(2025, 1, 3), null, Local(2025, 1, 4))];
        b.BilledElsewhere = [new("99490", Md, new DateOnly(2025, 6, 30))];
        b.Staff(25);
        var h = OutcomeAssert.Hold(Eval(b), HoldReason.ExclOtherPractitioner);
        Assert.Equal("EXCL_OTHER_PRACTITIONER", h.Primary.ToCode());
        var s = Assert.Single(h.ConflictingServices);
        Assert.Equal(("99490", Md), (s.Code, s.PractitionerId));
        Assert.Contains("99490 billed by P1 on 2025-06-30", h.Detail);
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-2")]
    [Trait("Rule", "R-CLOSE-1")]
    public void GivenCase16_SameFacts_WhenEvaluatedTwiceAndConcurrently_ThenIdenticalClaims()
    {
        var facts = FactsBuilder.For(2025, 3).Staff(45).Build();
        var first = Assert.IsType<MonthOutcome.Claim>(BillingEngine.Evaluate(facts));
        var parallel = new MonthOutcome[8];
        Parallel.For(0, parallel.Length, i => parallel[i] = BillingEngine.Evaluate(facts));
        foreach (var o in parallel)
        {
            var c = Assert.IsType<MonthOutcome.Claim>(o);
            Assert.Equal(first.Lines, c.Lines);
            Assert.Equal((first.TotalCents, first.CoinsuranceCents, first.DateOfService), (c.TotalCents, c.CoinsuranceCents, c.DateOfService));
            Assert.Equal(first.Explanation.ToText(), c.Explanation.ToText());
        }
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-2")]
    public void GivenCase17_Late25MinuteEntryAfterA20MinuteClaim_WhenReEvaluated_ThenReplacementIs99490Plus99439x1()
    {
        var b = FactsBuilder.For(2025, 3).Staff(20);
        OutcomeAssert.Claim(Eval(b), ("99490", 1));
        b.Staff(25);
        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1), ("99439", 1));
        Assert.Equal(10642, c.TotalCents);
    }

    [Fact]
    [Trait("Rule", "R-EXCL-3")]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenCase18_HospiceOversightG0182InSeptember_WhenEvaluated_ThenHeldExclHospiceHhEsrd()
    {
        var b = FactsBuilder.For(2025, 9).Staff(25);
        b.BilledElsewhere = [new("G0182", "hospice-doc", new DateOnly(2025, 9, 12))];
        var h = OutcomeAssert.Hold(Eval(b), HoldReason.ExclHospiceHhEsrd);
        Assert.Equal("EXCL_HOSPICE_HH_ESRD", h.Primary.ToCode());
    }

    [Fact]
    [Trait("Rule", "R-EXCL-3")]
    public void GivenCase19_Esrd90960InOctober_WhenEvaluated_ThenHeldExclHospiceHhEsrd()
    {
        var b = FactsBuilder.For(2025, 10).Staff(30);
        b.BilledElsewhere = [new("90960", "nephro", new DateOnly(2025, 10, 1))];
        OutcomeAssert.Hold(Eval(b), HoldReason.ExclHospiceHhEsrd);
    }

    [Fact]
    [Trait("Rule", "R-EXCL-5")]
    public void GivenCase20_Tcm99495InMarch2025With25StaffMinutes_WhenEvaluated_Then99490()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Entry(60, Local(2025, 3, 4, 13), program: CareProgram.Tcm);
        b.BilledElsewhere = [new("99495", Md, new DateOnly(2025, 3, 4))];
        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));
        Assert.Equal(25, c.Explanation.ClinicalStaffMinutes);
        Assert.Contains(c.Explanation.NotCounted, x => x.Reason == NotCountableReason.OtherProgram && x.Minutes == 60);
    }

    [Fact]
    [Trait("Rule", "R-EXCL-5")]
    [Trait("Rule", "R-HOLD-1")]
    [Trait("Rule", "R-CODE-5")]
    public void GivenCase21_Tcm99495InMarch2019With25StaffMinutes_WhenEvaluated_ThenHeldExclTcmPre2020WithFeeScheduleMissing()
    {
        var b = FactsBuilder.For(2019, 3).Staff(25);
        b.BilledElsewhere = [new("99495", Md, new DateOnly(2019, 3, 4))];
        var h = OutcomeAssert.Hold(Eval(b), HoldReason.ExclTcmPre2020, HoldReason.FeeScheduleMissing);
        Assert.Equal("EXCL_TCM_PRE_2020", h.Primary.ToCode());
    }

    [Fact]
    [Trait("Rule", "R-EXCL-4")]
    public void GivenCase22_Pcm99426BilledInMayBySamePractitioner_WhenCcmEvaluated_ThenHeldExclProgramConflict()
    {
        var b = FactsBuilder.For(2025, 5).Staff(25);
        b.BilledElsewhere = [new("99426", Md, new DateOnly(2025, 5, 31))];
        OutcomeAssert.Hold(Eval(b), HoldReason.ExclProgramConflict);
    }

    [Fact]
    [Trait("Rule", "R-EXCL-4")]
    public void GivenCase23_ApcmG0557BilledInApril2025BySamePractitioner_WhenCcmEvaluated_ThenHeldExclProgramConflict()
    {
        var b = FactsBuilder.For(2025, 4).Staff(45);
        b.BilledElsewhere = [new("G0557", Md, new DateOnly(2025, 4, 30))];
        var h = OutcomeAssert.Hold(Eval(b), HoldReason.ExclProgramConflict);
        Assert.Equal("G0557", Assert.Single(h.ConflictingServices).Code);
    }

    [Fact]
    [Trait("Rule", "R-APCM-1")]
    [Trait("Rule", "R-FEE-2")]
    public void GivenCase24_QmbPatientWith3ConditionsInApcm_WhenEvaluated_ThenG0558At10707AndNoCoinsurance()
    {
        var b = FactsBuilder.For(2025, 5);
        b.Coverage = b.Coverage! with { Qmb = true };
        b.Enrollments = [new(CareProgram.Apcm, new DateOnly(2025, 1, 1))];
        b.Consents = [new("a1", CareProgram.Apcm, Md, Local(2025, 1, 2))];
        b.Conditions.Add(new("J44.9", "copd"));
        var c = OutcomeAssert.Claim(Eval(b), ("G0558", 1));
        Assert.Equal((10707L, 0L), (c.TotalCents, c.CoinsuranceCents));
        Assert.Equal(CareProgram.Apcm, c.Program);
    }

    [Fact]
    [Trait("Rule", "R-INIT-1")]
    [Trait("Rule", "R-TIME-4")]
    public void GivenCase25_NewPatientInitiatingVisitAug9_WhenEvaluated_Then14CountableNotBillable()
    {
        var b = FactsBuilder.For(2025, 8);
        b.InitiatingVisitRequired = null; // computed: no visit history, a new patient
        b.Enrollments = [new(CareProgram.Ccm, new DateOnly(2025, 8, 2))];
        b.Consents = [new("c1", CareProgram.Ccm, Md, Local(2025, 8, 2, 9))];
        b.PlanVersions = [new("v1", Local(2025, 8, 9, 12), Md, Local(2025, 8, 9, 12), null, Local(2025, 8, 9, 12))];
        b.InitiatingVisits = [new("99213", Md, Local(2025, 8, 9, 10), Local(2025, 8, 9, 10, 30))];
        b.Entry(6, Local(2025, 8, 3)).Entry(6, Local(2025, 8, 8)).Entry(14, Local(2025, 8, 12));
        var n = OutcomeAssert.NotBillable(Eval(b), NotBillableReason.BelowThreshold, "14 of 20 minutes");
        Assert.Equal(12, n.Explanation.NotCounted.Where(x => x.Reason == NotCountableReason.BeforeInitiatingVisit).Sum(x => x.Minutes));
    }

    [Fact]
    [Trait("Rule", "R-INIT-2")]
    public void GivenCase26_G0506RecordedWithInitiatingVisit_WhenSecondRecorded8MonthsLater_ThenRefused422()
    {
        var visit = new InitiatingVisit("99214", Md, Local(2025, 1, 10, 9), Local(2025, 1, 10, 10));
        var first = G0506Rules.CanRecord([], new DateOnly(2025, 1, 10), [visit], Zone);
        Assert.True(first.Allowed);
        var second = G0506Rules.CanRecord([new G0506Record("g1", new DateOnly(2025, 1, 10), Md)], new DateOnly(2025, 9, 10), [visit], Zone);
        Assert.Equal((false, 422, "R-INIT-2"), (second.Allowed, second.StatusCode, second.RuleId));

        // G0506 minutes never count and month close never emits G0506.
        var b = FactsBuilder.For(2025, 1).Staff(20);
        b.Entry(30, Local(2025, 1, 10, 10), StaffRoleKind.Practitioner, Md, CareProgram.G0506, "md1");
        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));
        Assert.Contains(c.Explanation.NotCounted, x => x.Reason == NotCountableReason.G0506Time && x.Minutes == 30);
    }

    [Fact]
    [Trait("Rule", "R-TIME-3")]
    public void GivenCase27_SchedulerLogs30AndNurse12_WhenEvaluated_Then12CountableNotBillable()
    {
        var b = FactsBuilder.For(2025, 3);
        b.Entry(30, Local(2025, 3, 3), StaffRoleKind.NonClinical, staffId: "sched1").Entry(12, Local(2025, 3, 4));
        var n = OutcomeAssert.NotBillable(Eval(b), NotBillableReason.BelowThreshold, "12 of 20 minutes");
        Assert.Contains(n.Explanation.NotCounted, x => x.Reason == NotCountableReason.NonClinical && x.Minutes == 30);
    }

    [Fact]
    [Trait("Rule", "R-PCM-1")]
    [Trait("Rule", "R-ELIG-3")]
    public void GivenCase28_OneConditionEnrolledInPcmStaff40PcmMinutes_WhenEvaluated_Then99426At6178AndNoCcm()
    {
        var b = FactsBuilder.For(2025, 3);
        b.Conditions = [new("I50.9", "heart-failure")];
        b.Enrollments = [new(CareProgram.Pcm, new DateOnly(2025, 1, 1))];
        b.Consents = [new("p1", CareProgram.Pcm, Md, Local(2025, 1, 2))];
        b.Staff(40, CareProgram.Pcm);
        var c = OutcomeAssert.Claim(Eval(b), ("99426", 1));
        Assert.Equal((6178L, CareProgram.Pcm), (c.TotalCents, c.Program));
        Assert.DoesNotContain(c.Explanation.Candidates, x => x.Track is Track.CcmNonComplex or Track.CcmComplex or Track.CcmPractitioner);
    }

    [Fact]
    [Trait("Rule", "R-PLAN-1")]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenCase29_NoActiveCarePlanStaff25_WhenEvaluated_ThenHeldNoActiveCarePlanAlone()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.PlanVersions = [];
        var h = OutcomeAssert.Hold(Eval(b), HoldReason.NoActiveCarePlan);
        Assert.Equal("NO_ACTIVE_CARE_PLAN", h.Primary.ToCode());
    }

    [Fact]
    [Trait("Rule", "R-PLAN-1")]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenCase30_ActivePlanNeverGivenToPatientStaff25_WhenEvaluated_ThenHeldCarePlanNotShared()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.PlanVersions = [b.PlanVersions[0] with { SharedAtUtc = null }];
        OutcomeAssert.Hold(Eval(b), HoldReason.CarePlanNotShared);
    }

    [Fact]
    [Trait("Rule", "R-TIME-2")]
    public void GivenCase31_EntryJan31At2350To0010NewYork_WhenJanuaryAndFebruaryEvaluated_Then10MinutesEach()
    {
        var b = FactsBuilder.For(2025, 1).Entry(20, Local(2025, 1, 31, 23, 50));
        var jan = BillingEngine.Evaluate(b.Build(new ServiceMonth(2025, 1)));
        var feb = BillingEngine.Evaluate(b.Build(new ServiceMonth(2025, 2)));
        Assert.Equal(10, jan.Explanation.ClinicalStaffMinutes);
        Assert.Equal(10, feb.Explanation.ClinicalStaffMinutes);
        Assert.Contains(jan.Explanation.NotCounted, x => x is { Reason: NotCountableReason.OtherMonth, Minutes: 10 });
        Assert.Equal(10, Ledger.Summarize(b.Build(new ServiceMonth(2025, 2))).ClinicalStaffMinutes);
    }

    [Fact]
    [Trait("Rule", "R-TIME-2")]
    public void GivenCase32_Entry15MinutesAt2230NewYorkApril30StoredAsMay1Utc_WhenEvaluated_ThenCountsInApril()
    {
        var start = new DateTime(2025, 5, 1, 2, 30, 0, DateTimeKind.Utc);
        Assert.Equal(Local(2025, 4, 30, 22, 30), start);
        var b = FactsBuilder.For(2025, 4).Entry(15, start);
        Assert.Equal(15, BillingEngine.Evaluate(b.Build(new ServiceMonth(2025, 4))).Explanation.ClinicalStaffMinutes);
        Assert.Equal(0, BillingEngine.Evaluate(b.Build(new ServiceMonth(2025, 5))).Explanation.ClinicalStaffMinutes);
    }

    [Fact]
    [Trait("Rule", "R-CODE-4")]
    [Trait("Rule", "R-CPLX-1")]
    public void GivenCase33_ComplexCriteriaMetStaff75_WhenEvaluated_Then99490Plus99439x2At15235Beats99487At13165()
    {
        var c = OutcomeAssert.Claim(Eval(FactsBuilder.For(2025, 3).ComplexCriteriaMet().Staff(75)), ("99490", 1), ("99439", 2));
        Assert.Equal(15235, c.TotalCents);
        Assert.Equal(13165, c.Explanation.Candidates.ToArray().Amount(Track.CcmComplex));
        Assert.Contains("99490 + 99439×2 ($152.35) beats 99487 ($131.65)", c.Explanation.WinnerWhy);
    }

    [Fact]
    [Trait("Rule", "R-CODE-5")]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenCase34_NoFeeScheduleFor2026Staff25_WhenEvaluated_ThenHeldFeeScheduleMissing()
    {
        var h = OutcomeAssert.Hold(Eval(FactsBuilder.For(2026, 3).Staff(25)), HoldReason.FeeScheduleMissing);
        Assert.Equal("FEE_SCHEDULE_MISSING", h.Primary.ToCode());
    }

    [Fact]
    [Trait("Rule", "R-ELIG-5")]
    public void GivenCase35_Staff25Patient58WithoutMedicare_WhenEvaluated_ThenNotBillableNoPartBCoverage()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Coverage = null;
        OutcomeAssert.NotBillable(Eval(b), NotBillableReason.NoPartBCoverage, "no Part B coverage");
    }
}
