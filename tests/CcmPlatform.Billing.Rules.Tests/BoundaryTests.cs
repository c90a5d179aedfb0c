using CcmPlatform.Billing.Rules;
using static CcmPlatform.Billing.Rules.Tests.FactsBuilder;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>Edges of the gates and exclusions: instants exactly on a boundary, services outside the month, caps on lists.</summary>
public sealed class BoundaryTests
{
    private static MonthOutcome Eval(FactsBuilder b) => BillingEngine.Evaluate(b.Build());

    private static FactsBuilder Pcm()
    {
        var b = FactsBuilder.For(2025, 5);
        b.Enrollments[0] = new ProgramEnrollment(CareProgram.Pcm, new DateOnly(2015, 1, 1));
        b.Consents[0] = b.Consents[0] with { Program = CareProgram.Pcm };
        b.Conditions.RemoveAt(1);
        return b.Staff(40, CareProgram.Pcm);
    }

    private static FactsBuilder Apcm()
    {
        var b = FactsBuilder.For(2025, 4);
        b.Enrollments[0] = new ProgramEnrollment(CareProgram.Apcm, new DateOnly(2015, 1, 1));
        b.Consents[0] = b.Consents[0] with { Program = CareProgram.Apcm };
        return b;
    }

    [Fact]
    [Trait("Rule", "R-TIME-4")]
    public void GivenAnEntryStartingExactlyAtDischarge_WhenEvaluated_ThenItCountsButOneAtAdmissionDoesNot()
    {
        var admitted = Local(2025, 3, 5, 9);
        var discharged = Local(2025, 3, 8, 9);
        var b = FactsBuilder.For(2025, 3).Entry(12, admitted).Entry(20, discharged);
        b.Stays.Add(new InpatientStay(admitted, discharged, FacilityKind.SkilledNursingFacility));

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.Equal(20, c.Explanation.ClinicalStaffMinutes);
        Assert.Equal(12, Assert.Single(c.Explanation.NotCounted, n => n.Reason == NotCountableReason.Inpatient).Minutes);
    }

    [Fact]
    [Trait("Rule", "R-TIME-4")]
    public void GivenAnOpenInpatientStay_WhenEntriesFollowAdmission_ThenNoneCount()
    {
        var b = FactsBuilder.For(2025, 3).Entry(25, Local(2025, 3, 20, 9));
        b.Stays.Add(new InpatientStay(Local(2025, 3, 10, 9), null, FacilityKind.Hospital));

        OutcomeAssert.NotBillable(Eval(b), NotBillableReason.BelowThreshold, "0 of 20 minutes");
    }

    [Fact]
    [Trait("Rule", "R-TIME-4")]
    [Trait("Rule", "R-CONS-1")]
    public void GivenAnEntryStartingAtTheConsentInstant_WhenEvaluated_ThenItCountsAndOneAMinuteEarlierDoesNot()
    {
        var consent = Local(2025, 3, 12, 9);
        var b = FactsBuilder.For(2025, 3).Entry(20, consent).Entry(5, consent.AddMinutes(-30));
        b.Consents[0] = b.Consents[0] with { OccurredAtUtc = consent };

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.Equal(5, Assert.Single(c.Explanation.NotCounted, n => n.Reason == NotCountableReason.BeforeConsent).Minutes);
    }

    [Fact]
    [Trait("Rule", "R-TIME-4")]
    [Trait("Rule", "R-INIT-1")]
    public void GivenAnEntryStartingAtTheInitiatingVisitEnd_WhenEvaluated_ThenItCounts()
    {
        var end = Local(2025, 3, 9, 11);
        var b = FactsBuilder.For(2025, 3).Entry(20, end).Entry(7, end.AddMinutes(-1));
        b.InitiatingVisitRequired = true;
        b.InitiatingVisits.Add(new InitiatingVisit("99213", Md, end.AddMinutes(-30), end));
        b.InitiatingVisits.Add(new InitiatingVisit("99213", OtherMd, Local(2025, 3, 2, 9), Local(2025, 3, 2, 10)));
        b.InitiatingVisits.Add(new InitiatingVisit("99211", Md, Local(2025, 3, 3, 9), Local(2025, 3, 3, 10)));

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.Equal(7, Assert.Single(c.Explanation.NotCounted, n => n.Reason == NotCountableReason.BeforeInitiatingVisit).Minutes);
        Assert.Contains(RuleCatalog.Init1, c.Explanation.RulesApplied);
    }

    [Fact]
    [Trait("Rule", "R-INIT-1")]
    public void GivenARequiredVisitOnlyAfterTheMonth_WhenEvaluated_ThenNotBillableNoInitiatingVisit()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.InitiatingVisitRequired = true;
        b.InitiatingVisits.Add(new InitiatingVisit("99213", Md, Local(2025, 4, 2, 9), Local(2025, 4, 2, 10)));

        OutcomeAssert.NotBillable(Eval(b), NotBillableReason.NoInitiatingVisit, "no initiating visit");
    }

    [Fact]
    [Trait("Rule", "R-INIT-1")]
    [Trait("Rule", "R-APCM-1")]
    public void GivenVisitHistory_WhenTheLookBackIsComputed_Then12MonthsForCcmAnd3YearsForApcm()
    {
        var ccm = FactsBuilder.For(2025, 3).Staff(25);
        ccm.InitiatingVisitRequired = null;
        ccm.Enrollments[0] = new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 3, 1));
        ccm.VisitHistory.Add(new VisitHistoryItem("99213", Md, new DateOnly(2023, 6, 1)));
        OutcomeAssert.NotBillable(Eval(ccm), NotBillableReason.NoInitiatingVisit, "no initiating visit");
        ccm.VisitHistory.Add(new VisitHistoryItem("99213", Md, new DateOnly(2024, 3, 1)));
        OutcomeAssert.Claim(Eval(ccm), ("99490", 1));

        var apcm = Apcm();
        apcm.InitiatingVisitRequired = null;
        apcm.Enrollments[0] = new ProgramEnrollment(CareProgram.Apcm, new DateOnly(2025, 4, 1));
        apcm.VisitHistory.Add(new VisitHistoryItem("99213", OtherMd, new DateOnly(2024, 6, 1)));
        Assert.Contains("3 years", OutcomeAssert.NotBillable(Eval(apcm), NotBillableReason.NoInitiatingVisit, "no initiating visit (the billing practitioner has not seen the patient in the 3 years before APCM)").Text);
        apcm.VisitHistory.Add(new VisitHistoryItem("99213", Md, new DateOnly(2022, 6, 1)));
        OutcomeAssert.Claim(Eval(apcm), ("G0557", 1));
    }

    [Fact]
    [Trait("Rule", "R-TIME-4")]
    public void GivenADeathInstant_WhenAnEntryStartsExactlyThen_ThenItDoesNotCount()
    {
        var died = Local(2025, 3, 10, 9);
        var b = FactsBuilder.For(2025, 3).Entry(20, died.AddMinutes(-20)).Entry(9, died);
        b.DiedAtUtc = died;

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.Equal(new DateOnly(2025, 3, 10), c.DateOfService);
        Assert.Equal(9, Assert.Single(c.Explanation.NotCounted, n => n.Reason == NotCountableReason.AfterDeath).Minutes);
    }

    [Fact]
    [Trait("Rule", "R-EXCL-1")]
    [Trait("Rule", "R-EXCL-3")]
    public void GivenConflictingServicesDatedOutsideTheMonth_WhenEvaluated_ThenTheyAreIgnored()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.BilledElsewhere.Add(new BilledService("99490", OtherMd, new DateOnly(2025, 2, 28)));
        b.BilledElsewhere.Add(new BilledService("G0182", OtherMd, new DateOnly(2025, 4, 1)));

        OutcomeAssert.Claim(Eval(b), ("99490", 1));
    }

    [Fact]
    [Trait("Rule", "R-EXCL-1")]
    [Trait("Rule", "R-EXCL-3")]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenSeveralConflictsAndAMissingShare_WhenEvaluated_ThenConflictsInOrderThenDocumentationAsSecondary()
    {
        var b = FactsBuilder.For(2025, 3).Staff(5);
        b.PlanVersions[0] = b.PlanVersions[0] with { SharedAtUtc = null };
        b.BilledElsewhere.Add(new BilledService("90951", OtherMd, new DateOnly(2025, 3, 3)));
        b.BilledElsewhere.Add(new BilledService("99490", OtherMd, new DateOnly(2025, 3, 31)));
        b.BilledElsewhere.Add(new BilledService("99453", OtherMd, new DateOnly(2025, 3, 4)));

        var h = OutcomeAssert.Hold(Eval(b), HoldReason.ExclOtherPractitioner, HoldReason.ExclHospiceHhEsrd, HoldReason.CarePlanNotShared);

        Assert.Equal(["90951", "99490"], h.ConflictingServices.Select(s => s.Code));
        Assert.Equal("EXCL_OTHER_PRACTITIONER: 90951 billed by P2 on 2025-03-03; 99490 billed by P2 on 2025-03-31", h.Detail);
        Assert.Contains(h.Explanation.Notes, n => n.Contains("99453") && n.Contains("R-EXCL-6"));
    }

    [Fact]
    [Trait("Rule", "R-EXCL-4")]
    public void GivenCcmBilledElsewhereBySamePractitioner_WhenCcmMonth_ThenProgramConflictNotOtherPractitioner()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.BilledElsewhere.Add(new BilledService("99491", Md, new DateOnly(2025, 3, 3)));

        OutcomeAssert.Hold(Eval(b), HoldReason.ExclProgramConflict);
    }

    [Fact]
    [Trait("Rule", "R-EXCL-4")]
    public void GivenPcmOrApcmByADifferentPractitioner_WhenCcmMonth_ThenBilledWithAReviewNote()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.BilledElsewhere.Add(new BilledService("99426", OtherMd, new DateOnly(2025, 3, 3)));
        b.BilledElsewhere.Add(new BilledService("G0557", OtherMd, new DateOnly(2025, 3, 4)));

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.Equal(2, c.Explanation.Notes.Count(n => n.StartsWith("Review: ", StringComparison.Ordinal) && n.Contains("R-EXCL-4")));
    }

    [Theory]
    [Trait("Rule", "R-EXCL-4")]
    [Trait("Rule", "R-PCM-1")]
    [InlineData("99490", true)] [InlineData("G0556", true)] [InlineData("99424", true)] [InlineData("99495", false)] [InlineData("99484", false)]
    public void GivenAPcmMonth_WhenAServiceIsBilledElsewhereBySamePractitioner_ThenOnlyCareManagementConflicts(string code, bool held)
    {
        var same = Pcm();
        same.BilledElsewhere.Add(new BilledService(code, Md, new DateOnly(2025, 5, 3)));
        if (held) OutcomeAssert.Hold(Eval(same), HoldReason.ExclProgramConflict);
        else OutcomeAssert.Claim(Eval(same), ("99426", 1));

        var other = Pcm();
        other.BilledElsewhere.Add(new BilledService(code, OtherMd, new DateOnly(2025, 5, 3)));
        var c = OutcomeAssert.Claim(Eval(other), ("99426", 1));
        Assert.Equal(held, c.Explanation.Notes.Any(n => n.StartsWith("Review: ", StringComparison.Ordinal)));
    }

    [Theory]
    [Trait("Rule", "R-EXCL-4")]
    [Trait("Rule", "R-APCM-1")]
    [InlineData("99495", true)] [InlineData("99490", true)] [InlineData("99426", true)] [InlineData("G0558", true)] [InlineData("99454", false)]
    public void GivenAnApcmMonth_WhenAServiceIsBilledElsewhereBySamePractitioner_ThenTcmAndCareManagementConflict(string code, bool held)
    {
        var same = Apcm();
        same.BilledElsewhere.Add(new BilledService(code, Md, new DateOnly(2025, 4, 3)));
        if (held) OutcomeAssert.Hold(Eval(same), HoldReason.ExclProgramConflict);
        else OutcomeAssert.Claim(Eval(same), ("G0557", 1));

        var other = Apcm();
        other.BilledElsewhere.Add(new BilledService(code, OtherMd, new DateOnly(2025, 4, 3)));
        var c = OutcomeAssert.Claim(Eval(other), ("G0557", 1));
        Assert.Equal(held, c.Explanation.Notes.Any(n => n.StartsWith("Review: ", StringComparison.Ordinal)));
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    public void GivenThirteenConditionsAddressed_WhenClaimed_ThenTwelveDiagnosesAndBlanksSkipped()
    {
        var codes = Enumerable.Range(0, 13).Select(i => $"E{i:D2}.9").Append(" ").ToArray();
        var b = FactsBuilder.For(2025, 3).Entry(20, Local(2025, 3, 4), conditions: codes);

        var c = Assert.IsType<MonthOutcome.Claim>(Eval(b));

        Assert.Equal(codes.Take(12), c.Diagnoses);
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenNoConditionsOnEntries_WhenClaimed_ThenDistinctQualifyingCodesElseNoBillableDiagnosis()
    {
        var b = FactsBuilder.For(2025, 3).Entry(20, Local(2025, 3, 4), conditions: [" "]);
        b.Conditions.Add(new QualifyingCondition("I10", "hypertension-2"));
        b.Conditions.Add(new QualifyingCondition("", "blank"));

        Assert.Equal(["I10", "E11.9"], Assert.IsType<MonthOutcome.Claim>(Eval(b)).Diagnoses);

        b.Conditions.Clear();
        b.Conditions.Add(new QualifyingCondition(" ", "g1"));
        b.Conditions.Add(new QualifyingCondition("", "g2"));
        OutcomeAssert.Hold(Eval(b), HoldReason.NoBillableDiagnosis);
    }

    [Fact]
    [Trait("Rule", "R-CPLX-1")]
    public void GivenMdmByAnotherPractitionerOrInAnotherMonth_WhenStaff95_ThenNotAComplexCandidate()
    {
        var b = FactsBuilder.For(2025, 3).Staff(95);
        b.Revisions.Add(Local(2025, 3, 5, 11));
        b.Mdm.Add(new MdmAssessment(new DateOnly(2025, 3, 5), MdmLevel.High, OtherMd));
        b.Mdm.Add(new MdmAssessment(new DateOnly(2025, 2, 28), MdmLevel.High, Md));

        OutcomeAssert.Claim(Eval(b), ("99490", 1), ("99439", 2));
    }

    [Fact]
    [Trait("Rule", "R-CPLX-1")]
    public void GivenAPlanFirstActivatedThisMonthAndModerateMdm_WhenStaff95_ThenComplexWins()
    {
        var b = FactsBuilder.For(2025, 3).Staff(95);
        b.PlanVersions[0] = new CarePlanVersion("v1", Local(2025, 3, 1, 8), Md, Local(2025, 3, 1, 8), null, Local(2025, 3, 1, 9));
        b.Mdm.Add(new MdmAssessment(new DateOnly(2025, 3, 31), MdmLevel.Moderate, Md));

        OutcomeAssert.Claim(Eval(b), ("99487", 1), ("99489", 1));

        b.Revisions.Add(FactsBuilder.For(2025, 4).Month.StartUtc(Ny));
        b.PlanVersions[0] = b.PlanVersions[0] with { ActiveFromUtc = Local(2025, 2, 27, 8) };
        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1), ("99439", 2));
        Assert.Equal("care plan neither established nor substantially revised this month",
            c.Explanation.Candidates.Single(t => t.Track == Track.CcmComplex).NotCandidateWhy);
    }

    [Fact]
    [Trait("Rule", "R-HOLD-1")]
    [Trait("Rule", "R-PLAN-1")]
    public void GivenPlanVersionsAtTheMonthEdges_WhenEvaluated_ThenOnlyOneInForceDuringTheMonthCounts()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        var monthStart = b.Month.StartUtc(Ny);
        b.PlanVersions[0] = b.PlanVersions[0] with { ActiveToUtc = monthStart };
        OutcomeAssert.Hold(Eval(b), HoldReason.NoActiveCarePlan);

        b.PlanVersions[0] = b.PlanVersions[0] with { ActiveToUtc = monthStart.AddMinutes(1) };
        OutcomeAssert.Claim(Eval(b), ("99490", 1));

        b.PlanVersions[0] = b.PlanVersions[0] with { SharedAtUtc = b.Month.EndUtc(Ny) };
        OutcomeAssert.Hold(Eval(b), HoldReason.CarePlanNotShared);
    }
}
