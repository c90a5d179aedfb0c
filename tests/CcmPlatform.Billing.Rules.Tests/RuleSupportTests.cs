using CcmPlatform.Billing.Rules;
using static CcmPlatform.Billing.Rules.Tests.FactsBuilder;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>The small pieces the engine leans on: code families, month arithmetic, reason codes, rendering.</summary>
public sealed class RuleSupportTests
{
    [Theory]
    [Trait("Rule", "R-EXCL-3")]
    [InlineData("90950", false)] [InlineData("90951", true)] [InlineData("90960", true)] [InlineData("90970", true)] [InlineData("90971", false)]
    [InlineData("9096", false)] [InlineData("909601", false)] [InlineData("90A60", false)] [InlineData("80960", false)]
    public void GivenACode_WhenCheckedForEsrd_ThenOnly90951To90970(string code, bool esrd) => Assert.Equal(esrd, Codes.IsEsrd(code));

    [Theory]
    [Trait("Rule", "R-EXCL-6")]
    [InlineData("99452", false)] [InlineData("99453", true)] [InlineData("99458", true)] [InlineData("99459", false)] [InlineData("9945", false)] [InlineData("99A53", false)]
    public void GivenACode_WhenCheckedForRpm_ThenOnly99453To99458(string code, bool rpm) => Assert.Equal(rpm, Codes.IsRpm(code));

    [Theory]
    [Trait("Rule", "R-EXCL-4")]
    [InlineData("99490", CareProgram.Ccm)] [InlineData("99439", CareProgram.Ccm)] [InlineData("99487", CareProgram.Ccm)] [InlineData("99489", CareProgram.Ccm)]
    [InlineData("99491", CareProgram.Ccm)] [InlineData("99437", CareProgram.Ccm)] [InlineData("G2058", CareProgram.Ccm)]
    [InlineData("99424", CareProgram.Pcm)] [InlineData("99425", CareProgram.Pcm)] [InlineData("99426", CareProgram.Pcm)] [InlineData("99427", CareProgram.Pcm)]
    [InlineData("G0556", CareProgram.Apcm)] [InlineData("G0557", CareProgram.Apcm)] [InlineData("G0558", CareProgram.Apcm)]
    [InlineData("99495", CareProgram.Tcm)] [InlineData("99496", CareProgram.Tcm)] [InlineData("99454", CareProgram.Rpm)]
    [InlineData("99484", CareProgram.Bhi)] [InlineData("G0506", CareProgram.G0506)]
    public void GivenAKnownCode_WhenItsProgramIsAsked_ThenTheFamily(string code, CareProgram program) => Assert.Equal(program, Codes.ProgramOf(code));

    [Theory]
    [Trait("Rule", "R-EXCL-3")]
    [InlineData("G0181", true)] [InlineData("G0182", true)] [InlineData("G0180", false)] [InlineData("99213", false)]
    public void GivenACode_WhenCheckedForOversight_ThenOnlyG0181AndG0182(string code, bool oversight)
    {
        Assert.Equal(oversight, Codes.IsHospiceOrHomeHealthOversight(code));
        Assert.Null(Codes.ProgramOf(code));
    }

    [Theory]
    [Trait("Rule", "R-INIT-1")]
    [InlineData("99201", false)] [InlineData("99202", true)] [InlineData("99205", true)] [InlineData("99211", false)] [InlineData("99212", true)]
    [InlineData("99215", true)] [InlineData("99216", false)] [InlineData("G0438", true)] [InlineData("G0439", true)] [InlineData("G0402", true)] [InlineData("G0506", false)]
    public void GivenAVisitCode_WhenCheckedAsInitiating_ThenOnlyEmLevels2To5AwvAndWelcome(string code, bool ok) => Assert.Equal(ok, Codes.IsInitiatingVisit(code));

    [Fact]
    [Trait("Rule", "R-TIME-1")]
    public void GivenServiceMonths_WhenStepped_ThenYearsRollAndOrderHolds()
    {
        var dec = new ServiceMonth(2024, 12);
        Assert.Equal(new ServiceMonth(2025, 1), dec.Next);
        Assert.Equal(dec, new ServiceMonth(2025, 1).Previous);
        Assert.Equal(new ServiceMonth(2025, 4), new ServiceMonth(2025, 3).Next);
        Assert.Equal(new ServiceMonth(2025, 2), new ServiceMonth(2025, 3).Previous);
        Assert.True(dec.CompareTo(dec.Next) < 0);
        Assert.True(dec.Next.CompareTo(dec) > 0);
        Assert.Equal(0, dec.CompareTo(new ServiceMonth(2024, 12)));
        Assert.Equal(new DateOnly(2024, 2, 29), new ServiceMonth(2024, 2).LastDay);
        Assert.True(dec.Contains(new DateOnly(2024, 12, 31)));
        Assert.False(dec.Contains(new DateOnly(2025, 12, 1)));
        Assert.False(dec.Contains(new DateOnly(2024, 11, 30)));
        Assert.Equal("2024-12", dec.ToString());
        Assert.Equal(new ServiceMonth(2025, 3), ServiceMonth.Of(new DateOnly(2025, 3, 9)));
    }

    [Fact]
    [Trait("Rule", "R-ELIG-5")]
    public void GivenPartBDates_WhenCheckedOnBoundaryDays_ThenStartAndEndAreInclusive()
    {
        var c = new Coverage(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), "X", false);
        Assert.False(c.PartBInForceOn(new DateOnly(2025, 2, 28)));
        Assert.True(c.PartBInForceOn(new DateOnly(2025, 3, 1)));
        Assert.True(c.PartBInForceOn(new DateOnly(2025, 3, 31)));
        Assert.False(c.PartBInForceOn(new DateOnly(2025, 4, 1)));
        Assert.False(new Coverage(null, null, null, false).PartBInForceOn(new DateOnly(2025, 3, 1)));
        Assert.True(new Coverage(new DateOnly(2025, 3, 1), null, null, false).PartBInForceOn(new DateOnly(2030, 1, 1)));
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    public void GivenEnrollmentBounds_WhenCheckedAgainstAMonth_ThenBothEndsAreInclusive()
    {
        var m = new ServiceMonth(2025, 3);
        Assert.True(new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 3, 31)).Overlaps(m));
        Assert.False(new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 4, 1)).Overlaps(m));
        Assert.True(new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 1)).Overlaps(m));
        Assert.False(new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 1, 1), new DateOnly(2025, 2, 28)).Overlaps(m));
        var e = new ProgramEnrollment(CareProgram.Ccm, new DateOnly(2025, 3, 5), new DateOnly(2025, 3, 9));
        Assert.False(e.CoversDate(new DateOnly(2025, 3, 4)));
        Assert.True(e.CoversDate(new DateOnly(2025, 3, 5)));
        Assert.True(e.CoversDate(new DateOnly(2025, 3, 9)));
        Assert.False(e.CoversDate(new DateOnly(2025, 3, 10)));
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public void GivenQpYears_WhenAsked_ThenOnlyThoseYears()
    {
        Assert.False(new Practitioner("p", MdNpi, PractitionerType.Physician).IsQualifyingApmParticipant(2026));
        var qp = new Practitioner("p", MdNpi, PractitionerType.NursePractitioner, [2025, 2026]);
        Assert.True(qp.IsQualifyingApmParticipant(2026));
        Assert.True(qp.IsQualifyingApmParticipant(2025));
        Assert.False(qp.IsQualifyingApmParticipant(2027));
    }

    [Fact]
    [Trait("Rule", "R-HOLD-1")]
    public void GivenEveryReason_WhenCoded_ThenTheWireCodesAndOnlyExclusionsAreConflicts()
    {
        Assert.Equal(
            ["EXCL_OTHER_PRACTITIONER", "EXCL_HOSPICE_HH_ESRD", "EXCL_PROGRAM_CONFLICT", "EXCL_TCM_PRE_2020", "NO_ACTIVE_CARE_PLAN",
             "PLAN_NOT_SIGNED", "CARE_PLAN_NOT_SHARED", "NO_BILLABLE_DIAGNOSIS", "FEE_SCHEDULE_MISSING"],
            Enum.GetValues<HoldReason>().Select(r => r.ToCode()));
        Assert.Equal([true, true, true, true, false, false, false, false, false], Enum.GetValues<HoldReason>().Select(r => r.IsConflict()));
        Assert.Equal(
            ["NO_BILLING_PRACTITIONER", "NOT_ENROLLED", "NOT_ELIGIBLE", "NO_PART_B_COVERAGE", "NO_CONSENT", "NO_INITIATING_VISIT", "BELOW_THRESHOLD", "NO_PRICED_CODE"],
            Enum.GetValues<NotBillableReason>().Select(r => r.ToCode()));
    }

    [Fact]
    [Trait("Rule", "R-CODE-4")]
    public void GivenAClaim_WhenTheExplanationIsRendered_ThenItShowsMinutesTracksAmountsWinnerAndRules()
    {
        var b = FactsBuilder.For(2025, 3).Staff(100);
        var c = Assert.IsType<MonthOutcome.Claim>(BillingEngine.Evaluate(b.Build()));

        var text = c.Explanation.ToText();

        Assert.StartsWith("Ccm 2025-03, date of service 2025-03-31, billing practitioner P1\n", text);
        Assert.Contains("Countable minutes: clinical staff 100, billing practitioner personally 0\n", text);
        Assert.Contains("track CcmNonComplex: 100 min (threshold 20) → 99490 + 99439×2 $152.35 [billed]\n", text);
        Assert.Contains("40 minutes beyond the 99439 cap of 2 on CcmNonComplex\n", text);
        Assert.Contains("Why: ", text);
        Assert.Contains("Rules: R-FACT-1, ", text);
        Assert.Contains("Note: Coinsurance is 20%", text);
        var rules = c.Explanation.RulesApplied;
        Assert.Equal(rules.ToList(), Enumerable.Range(0, rules.Count).Select(i => rules[i]).ToList());
        Assert.Throws<ArgumentOutOfRangeException>(() => rules[rules.Count]);
        Assert.Equal(rules.Count, rules.Distinct().Count());
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    public void GivenNoBillingPractitioner_WhenRendered_ThenNoneAndNoLines()
    {
        var b = FactsBuilder.For(2025, 3).Staff(25);
        b.Assignments.Clear();
        var n = OutcomeAssert.NotBillable(BillingEngine.Evaluate(b.Build()), NotBillableReason.NoBillingPractitioner, "no billing practitioner assigned on the date of service");
        Assert.Contains("billing practitioner none", n.Explanation.ToText());

        var unknown = FactsBuilder.For(2025, 3).Staff(25);
        unknown.Assignments[0] = new BillingAssignment("ghost", Local(2015, 1, 1));
        OutcomeAssert.NotBillable(BillingEngine.Evaluate(unknown.Build()), NotBillableReason.NoBillingPractitioner, "billing practitioner ghost is not on file");
    }

    [Fact]
    [Trait("Rule", "R-INIT-2")]
    [Trait("Rule", "R-TIME-5")]
    public void GivenG0506Rules_WhenAsked_ThenOnlyG0506TimeIsExcludedAndTheDateMustMatchTheVisit()
    {
        Assert.False(G0506Rules.CountsAsCareManagementTime(CareProgram.G0506));
        Assert.True(G0506Rules.CountsAsCareManagementTime(CareProgram.Ccm));
        var visit = new InitiatingVisit("99213", Md, Local(2025, 8, 9, 10), Local(2025, 8, 9, 11));
        Assert.True(G0506Rules.CanRecord([], new DateOnly(2025, 8, 9), [visit], Zone).Allowed);
        var wrongDay = G0506Rules.CanRecord([], new DateOnly(2025, 8, 10), [visit], Zone);
        Assert.Equal((false, 422, "R-INIT-2", "date"), (wrongDay.Allowed, wrongDay.StatusCode, wrongDay.RuleId, wrongDay.Field));
        var notInitiating = G0506Rules.CanRecord([], new DateOnly(2025, 8, 9), [visit with { Code = "99211" }], Zone);
        Assert.False(notInitiating.Allowed);
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    [Trait("Rule", "R-FACT-1")]
    public void GivenBoundaryMinutesAndInstants_WhenValidated_ThenInclusiveLimits()
    {
        Assert.True(TimeEntryRules.ValidateMinutes(1).Allowed);
        Assert.True(TimeEntryRules.ValidateMinutes(240).Allowed);
        Assert.False(TimeEntryRules.ValidateMinutes(0).Allowed);
        var tooLong = TimeEntryRules.ValidateMinutes(241);
        Assert.Equal((false, 422, "R-TIME-6", "minutes"), (tooLong.Allowed, tooLong.StatusCode, tooLong.RuleId, tooLong.Field));
        var now = Local(2025, 3, 10, 12);
        Assert.True(TimeEntryRules.ValidateOccurredAt(now, now).Allowed);
        var future = TimeEntryRules.ValidateOccurredAt(now.AddMinutes(1), now);
        Assert.Equal((false, "R-FACT-1", "occurredAt"), (future.Allowed, future.RuleId, future.Field));
    }

    [Fact]
    [Trait("Rule", "R-CODE-6")]
    public void GivenAMueTable_WhenAsked_ThenCapsAreCaseInsensitiveAndMissingMeansUncapped()
    {
        var t = new MueTable(new Dictionary<string, int> { ["g0557"] = 1, ["99439"] = 3 });
        Assert.Equal(1, t.CapFor("G0557"));
        Assert.Equal(3, t.CapFor("99439"));
        Assert.Null(t.CapFor("99489"));
        Assert.Equal(2, MueTable.MedicareDefault.CapFor("99439"));
        Assert.Null(MueTable.MedicareDefault.CapFor("99437"));
    }
}
