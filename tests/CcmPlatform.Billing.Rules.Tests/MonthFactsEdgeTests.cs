using CcmPlatform.Billing.Rules;
using static CcmPlatform.Billing.Rules.Tests.FactsBuilder;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>
/// Which facts of a patient-month count, at their edges: overlapping enrollments, assignments and plan versions,
/// instants exactly on the month boundary, programme start for the initiating-visit look-back.
/// </summary>
public sealed class MonthFactsEdgeTests
{
    private static MonthOutcome Eval(FactsBuilder b) => BillingEngine.Evaluate(b.Build());
    private static readonly DateTime LongAgo = new(2015, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [Trait("Rule", "R-CLOSE-1")]
    [Trait("Rule", "R-EXCL-4")]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenTwoEnrollmentsInTheMonth_WhenOnlyOneIsInForceOnTheDateOfService_ThenThatProgramIsEvaluated(bool coveringFirst)
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        var ended = new ProgramEnrollment(CareProgram.Pcm, new DateOnly(2025, 3, 11), new DateOnly(2025, 3, 20));
        var current = new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 3, 1));
        b.Enrollments = coveringFirst ? [current, ended] : [ended, current];

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.Equal(CareProgram.Ccm, c.Explanation.Program);
    }

    [Theory]
    [Trait("Rule", "R-CLOSE-1")]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenTwoEnrollmentsBothInForceOnTheDateOfService_WhenEvaluated_ThenTheLatestStartedWins(bool latestFirst)
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        var older = new ProgramEnrollment(CareProgram.Pcm, new DateOnly(2015, 1, 1));
        var latest = new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 3, 5));
        b.Enrollments = latestFirst ? [latest, older] : [older, latest];

        Assert.Equal(CareProgram.Ccm, OutcomeAssert.Claim(Eval(b), ("99490", 1)).Explanation.Program);
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    public void GivenTwoEnrollmentsThatBothEndedBeforeTheDateOfService_WhenEvaluated_ThenTheLatestStartedWins()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Enrollments =
        [
            new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 3, 6), new DateOnly(2025, 3, 20)),
            new ProgramEnrollment(CareProgram.Pcm, new DateOnly(2015, 1, 1), new DateOnly(2025, 3, 5)),
        ];

        Assert.Equal(CareProgram.Ccm, OutcomeAssert.Claim(Eval(b), ("99490", 1)).Explanation.Program);
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    [Trait("Rule", "R-TIME-5")]
    public void GivenEnrollmentsInOtherProgramsOrOtherMonths_WhenEvaluated_ThenOnlyTheCcmEnrollmentIsUsed()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Enrollments =
        [
            new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2015, 1, 1)),
            new ProgramEnrollment(CareProgram.Rpm, new DateOnly(2025, 3, 20)),
            new ProgramEnrollment(CareProgram.Pcm, new DateOnly(2025, 4, 1)),
        ];

        Assert.Equal(CareProgram.Ccm, OutcomeAssert.Claim(Eval(b), ("99490", 1)).Explanation.Program);
    }

    [Theory]
    [Trait("Rule", "R-INIT-1")]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenTwoEnrollmentsOfTheProgram_WhenLookingBackForAPriorVisit_ThenTheEarliestStartIsTheProgramStart(bool latestFirst)
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.InitiatingVisitRequired = null;
        var first = new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 1, 10), new DateOnly(2025, 2, 28));
        var second = new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 3, 1));
        b.Enrollments = latestFirst ? [second, first] : [first, second];
        // Seen within 12 months before 2025-01-10, but not within 12 months before 2025-03-01.
        b.VisitHistory.Add(new VisitHistoryItem("99213", Md, new DateOnly(2024, 2, 15)));

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.DoesNotContain(RuleCatalog.Init1, c.Explanation.RulesApplied);
    }

    [Fact]
    [Trait("Rule", "R-INIT-1")]
    public void GivenAPriorVisitOnlyByAnotherPractitioner_WhenNoInitiatingVisit_ThenTheMonthNeedsOne()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.InitiatingVisitRequired = null;
        b.Enrollments = [new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 3, 1))];
        b.VisitHistory.Add(new VisitHistoryItem("99213", OtherMd, new DateOnly(2024, 12, 15)));

        var n = Assert.IsType<MonthOutcome.NotBillable>(Eval(b));

        Assert.Equal(NotBillableReason.NoInitiatingVisit, n.Reason);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-4")]
    public void GivenTwoAssignmentsInForce_WhenEvaluated_ThenTheLatestOneBillsWithItsNpi()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Assignments = [new(OtherMd, LongAgo), new(Md, Local(2025, 3, 10, 9))];

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.Equal(Md, c.BillingPractitionerId);
        Assert.Equal(MdNpi, c.BillingPractitionerNpi);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-4")]
    public void GivenAnAssignmentStartingExactlyAtTheEndOfTheDateOfService_WhenEvaluated_ThenItDoesNotBillThisMonth()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Assignments = [new(Md, LongAgo), new(OtherMd, Local(2025, 4, 1, 0))];

        Assert.Equal(Md, OutcomeAssert.Claim(Eval(b), ("99490", 1)).BillingPractitionerId);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-4")]
    public void GivenAnAssignmentEndingExactlyAtTheStartOfTheDateOfService_WhenEvaluated_ThenNobodyBills()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Assignments = [new(Md, LongAgo, Local(2025, 3, 31, 0))];

        var n = Assert.IsType<MonthOutcome.NotBillable>(Eval(b));

        Assert.Equal(NotBillableReason.NoBillingPractitioner, n.Reason);
        Assert.Null(n.Explanation.BillingPractitionerId);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-4")]
    public void GivenAnAssignmentEndingOneMinuteIntoTheDateOfService_WhenEvaluated_ThenItBills()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Assignments = [new(Md, LongAgo, Local(2025, 3, 31, 0, 1))];

        Assert.Equal(Md, OutcomeAssert.Claim(Eval(b), ("99490", 1)).BillingPractitionerId);
    }

    [Fact]
    [Trait("Rule", "R-TIME-4")]
    public void GivenADeathOnTheFirstDayOfTheMonth_WhenEvaluated_ThenThatDayIsTheDateOfService()
    {
        var b = FactsBuilder.For(2025, 3).Entry(25, Local(2025, 2, 28, 23, 0)).Entry(30, Local(2025, 3, 1, 8));
        b.DeathDate = new DateOnly(2025, 3, 1);

        var o = Eval(b);

        Assert.Equal(new DateOnly(2025, 3, 1), o.Explanation.DateOfService);
    }

    [Theory]
    [Trait("Rule", "R-CONS-1")]
    [Trait("Rule", "R-CONS-2")]
    [InlineData(CareProgram.Pcm, false)]
    [InlineData(CareProgram.Ccm, true)]
    public void GivenOnlyAConsentForAnotherProgramOrADecline_WhenEvaluated_ThenThereIsNoConsent(CareProgram program, bool declined)
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Consents = [new("c1", program, Md, LongAgo, Declined: declined)];

        OutcomeAssert.NotBillable(Eval(b), NotBillableReason.NoConsent, "no consent on file");
    }

    [Fact]
    [Trait("Rule", "R-CONS-1")]
    public void GivenAConsentExactlyAtTheEndOfTheMonth_WhenEvaluated_ThenTheMonthHasNoConsent()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Consents = [new("c1", CareProgram.Ccm, Md, Local(2025, 4, 1, 0))];

        OutcomeAssert.NotBillable(Eval(b), NotBillableReason.NoConsent, "no consent on file");
    }

    [Fact]
    [Trait("Rule", "R-CONS-3")]
    public void GivenConsentRevokedLastMonth_WhenAnEntryStartsExactlyAtThisMonthsStart_ThenItIsAfterConsentEnded()
    {
        var b = FactsBuilder.For(2025, 3).Entry(25, Local(2025, 3, 1, 0));
        b.Consents = [new("c1", CareProgram.Ccm, Md, LongAgo, Local(2025, 2, 10, 9))];

        var o = Eval(b);

        Assert.Equal(0, o.Explanation.ClinicalStaffMinutes);
        Assert.Equal(NotCountableReason.AfterConsentEnded, Assert.Single(o.Explanation.NotCounted).Reason);
    }

    [Fact]
    [Trait("Rule", "R-TIME-2")]
    public void GivenEntriesAcrossBothMonthBoundaries_WhenEvaluated_ThenOnlyTheMinutesInsideTheMonthCount()
    {
        var b = FactsBuilder.For(2025, 3)
            .Entry(30, Local(2025, 2, 28, 23, 50))
            .Entry(30, Local(2025, 3, 31, 23, 50))
            .Entry(40, Local(2025, 4, 2, 9), conditions: "J44.9");

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.Equal(30, c.Explanation.ClinicalStaffMinutes);
        var other = c.Explanation.NotCounted.Where(n => n.Reason == NotCountableReason.OtherMonth).Select(n => (n.EntryId, n.Minutes));
        Assert.Equal(new[] { ("e1", 10), ("e2", 20), ("e3", 40) }, other.ToArray());
        Assert.Equal(3, c.Explanation.NotCounted.Count);
        Assert.DoesNotContain("J44.9", c.Diagnoses);
    }

    [Fact]
    [Trait("Rule", "R-CPLX-1")]
    public void GivenAPlanFirstActivatedExactlyAtTheMonthStart_WhenMdmIsModerate_ThenTheComplexTrackWins()
    {
        var b = FactsBuilder.For(2025, 3).Staff(90);
        var start = Local(2025, 3, 1, 0);
        b.PlanVersions = [new("v1", start, Md, start, null, start)];
        b.Mdm.Add(new MdmAssessment(new DateOnly(2025, 3, 5), MdmLevel.Moderate, Md));

        OutcomeAssert.Claim(Eval(b), ("99487", 1), ("99489", 1));
    }

    [Fact]
    [Trait("Rule", "R-CPLX-1")]
    public void GivenASubstantialRevisionExactlyAtTheMonthStart_WhenMdmIsModerate_ThenTheComplexTrackWins()
    {
        var b = FactsBuilder.For(2025, 3).Staff(90);
        b.Revisions.Add(Local(2025, 3, 1, 0));
        b.Mdm.Add(new MdmAssessment(new DateOnly(2025, 3, 5), MdmLevel.Moderate, Md));

        OutcomeAssert.Claim(Eval(b), ("99487", 1), ("99489", 1));
    }

    [Fact]
    [Trait("Rule", "R-CPLX-1")]
    [Trait("Rule", "R-PLAN-1")]
    public void GivenANewPlanVersionThisMonthOfAPlanEstablishedEarlier_WhenNotRevised_ThenTheComplexTrackIsNotACandidate()
    {
        var b = FactsBuilder.For(2025, 3).Staff(90);
        var v2From = Local(2025, 3, 10, 9);
        b.PlanVersions.Add(new("v2", v2From, Md, v2From, null, v2From));
        b.Mdm.Add(new MdmAssessment(new DateOnly(2025, 3, 5), MdmLevel.Moderate, Md));

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1), ("99439", 2));

        Assert.False(c.Explanation.Candidates.Single(t => t.Track == Track.CcmComplex).IsCandidate);
    }

    [Fact]
    [Trait("Rule", "R-PLAN-1")]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenALaterPlanVersionSignedByAnotherPractitioner_WhenEvaluated_ThenThePlanIsNotSigned()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        var v2From = Local(2025, 3, 10, 9);
        b.PlanVersions.Add(new("v2", v2From, OtherMd, v2From, null, v2From));

        OutcomeAssert.Hold(Eval(b), HoldReason.PlanNotSigned);
    }

    [Fact]
    [Trait("Rule", "R-PLAN-1")]
    public void GivenAZeroLengthPlanVersion_WhenEvaluated_ThenItIsNeverInForce()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        var v2From = Local(2025, 3, 10, 9);
        b.PlanVersions.Add(new("v2", v2From, OtherMd, v2From, v2From, v2From));

        OutcomeAssert.Claim(Eval(b), ("99490", 1));
    }

    [Fact]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenMoreThanTwelveQualifyingConditionsAndNoCodedEntries_WhenClaimed_ThenTwelveDiagnosesAreListed()
    {
        var b = FactsBuilder.For(2025, 3).Entry(25, Local(2025, 3, 3, 9), conditions: " ");
        b.Conditions = Enumerable.Range(0, 14).Select(i => new QualifyingCondition($"E{10 + i}.9", $"g{i}")).ToList();

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"E{10 + i}.9"), c.Diagnoses);
    }
    [Fact]
    [Trait("Rule", "R-INIT-1")]
    public void GivenAnEarlierEnrollmentInAnotherProgram_WhenLookingBackForAPriorVisit_ThenOnlyThisProgramsStartCounts()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.InitiatingVisitRequired = null;
        b.Enrollments =
        [
            new ProgramEnrollment(CareProgram.Pcm, new DateOnly(2015, 1, 1), new DateOnly(2025, 2, 28)),
            new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 3, 1)),
        ];
        b.VisitHistory.Add(new VisitHistoryItem("99213", Md, new DateOnly(2024, 6, 1)));

        var c = OutcomeAssert.Claim(Eval(b), ("99490", 1));

        Assert.DoesNotContain(RuleCatalog.Init1, c.Explanation.RulesApplied);
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    public void GivenTimeBelowEveryThreshold_WhenEvaluated_ThenNoTrackWins()
    {
        var n = OutcomeAssert.NotBillable(Eval(FactsBuilder.For(2025, 3).Staff(10).MdPersonally(5)), NotBillableReason.BelowThreshold, "15 of 20 minutes");

        Assert.DoesNotContain(n.Explanation.Candidates, t => t.Won);
        Assert.Null(n.Explanation.WinnerWhy);
        Assert.Equal(
            new TrackMinutes[] { new(Track.CcmNonComplex, 15), new(Track.CcmComplex, 15), new(Track.CcmPractitioner, 5) },
            n.Explanation.CountableMinutes.ToArray());
    }
}
