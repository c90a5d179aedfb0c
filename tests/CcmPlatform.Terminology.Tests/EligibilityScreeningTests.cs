namespace CcmPlatform.Terminology.Tests;

public class EligibilityScreeningTests
{
    private static ConditionInput Icd(string code, bool active = true) => new(null, code, active, code);

    private static ConditionInput Snomed(string code, bool active = true) => new(code, null, active);

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenTwoDistinctChronicGroups_WhenScreened_ThenCcm()
    {
        var result = EligibilityScreening.Screen([Icd("I10"), Icd("E11.9")]);
        Assert.Equal(ProgramSuggestion.Ccm, result.Program);
        Assert.Equal(2, result.DistinctGroups);
        Assert.Equal(["ccw:21", "ccw:39"], result.Groups);
        Assert.Contains(result.Reasons, r => r.Contains("Diabetes (CCW 21)", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Rule", "R-ELIG-3")]
    public void GivenOneChronicGroup_WhenScreened_ThenPcmNotCcm()
    {
        var result = EligibilityScreening.Screen([Icd("E11.9"), Icd("E11.40"), Icd("J02.9")]);
        Assert.Equal(ProgramSuggestion.Pcm, result.Program);
        Assert.Equal(1, result.DistinctGroups);
        Assert.Contains("R-ELIG-3", result.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenNoQualifyingCondition_WhenScreened_ThenNone()
    {
        var result = EligibilityScreening.Screen([Icd("J02.9"), Icd("I10", active: false)]);
        Assert.Equal(ProgramSuggestion.None, result.Program);
        Assert.Equal(0, result.DistinctGroups);
        Assert.Contains(result.NotQualifying, n => n.Reason == NonQualifyingReason.Inactive && n.Icd10CmCode == "I10");
        Assert.Contains(result.NotQualifying, n => n.Reason == NonQualifyingReason.NotChronic && n.Icd10CmCode == "J029");
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenAcuteCcwInclude_WhenScreened_ThenNeverQualifies()
    {
        var result = EligibilityScreening.Screen([Icd("I21.4"), Icd("I10")]);
        Assert.Equal(ProgramSuggestion.Pcm, result.Program);
        var ami = Assert.Single(result.NotQualifying);
        Assert.Equal(NonQualifyingReason.AcuteCcw, ami.Reason);
    }

    [Theory]
    [Trait("Rule", "R-ELIG-2")]
    [InlineData("G30.9", "F03.90", "ccw:6")]
    [InlineData("F20.9", "F29", "ccw:61")]
    public void GivenNestedCcwConditions_WhenScreened_ThenCountOneGroup(string narrow, string broad, string group)
    {
        var result = EligibilityScreening.Screen([Icd(narrow), Icd(broad)]);
        Assert.Equal(1, result.DistinctGroups);
        Assert.Equal([group], result.Groups);
        Assert.Equal(ProgramSuggestion.Pcm, result.Program);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenAhrqOnlyCodesInSameCategory_WhenScreened_ThenOneGroupPerCategory()
    {
        var same = EligibilityScreening.Screen([Icd("J30.2"), Icd("J30.89")]);
        Assert.Equal(["ahrq:J30"], same.Groups);
        var different = EligibilityScreening.Screen([Icd("J30.2"), Icd("J32.9")]);
        Assert.Equal(["ahrq:J30", "ahrq:J32"], different.Groups);
        Assert.Equal(ProgramSuggestion.Ccm, different.Program);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenMultiGroupCodeListedFirst_WhenScreened_ThenMaximumAssignmentCountsBoth()
    {
        // E11.22 is in CCW 16 (CKD) and 21 (diabetes); with E11.9 (21 only) the best assignment is 16 + 21.
        var result = EligibilityScreening.Screen([Icd("E11.22"), Icd("E11.9")]);
        Assert.Equal(2, result.DistinctGroups);
        Assert.Equal("ccw:16", result.Qualifying.Single(q => q.Icd10CmCode == "E1122").Group);
        Assert.Equal("ccw:21", result.Qualifying.Single(q => q.Icd10CmCode == "E119").Group);
        Assert.Equal(ProgramSuggestion.Ccm, result.Program);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    [Trait("Rule", "R-ELIG-3")]
    public void GivenSingleMultiGroupCode_WhenScreened_ThenCountsOnceAsPcm()
    {
        var result = EligibilityScreening.Screen([Icd("E11.22")]);
        Assert.Equal(1, result.DistinctGroups);
        Assert.Equal(ProgramSuggestion.Pcm, result.Program);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenThreeWayOverlap_WhenScreened_ThenLargestAssignmentFound()
    {
        // I13.0 ∈ {16, 28, 39}, I12.9 ∈ {16, 39}, I10 ∈ {39}: 3 groups only if I13.0 → 28, I12.9 → 16, I10 → 39.
        var result = EligibilityScreening.Screen([Icd("I13.0"), Icd("I12.9"), Icd("I10")]);
        Assert.Equal(3, result.DistinctGroups);
        Assert.Equal("ccw:28", result.Qualifying.Single(q => q.Icd10CmCode == "I130").Group);
        // Two codes sharing their only groups cannot make more groups than there are.
        var capped = EligibilityScreening.Screen([Icd("I12.9"), Icd("I10"), Icd("N18.30")]);
        Assert.Equal(2, capped.DistinctGroups);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenSameCodeTwice_WhenScreened_ThenCountedOnce()
    {
        var result = EligibilityScreening.Screen([Icd("E11.22"), Icd("E1122")]);
        Assert.Equal(1, result.DistinctGroups);
        Assert.Equal(2, result.Qualifying.Count);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenSnomedCodes_WhenScreened_ThenMappedThroughAuthoredMap()
    {
        // Hypertension + Diabetes + Prediabetes (not chronic) + Cardiac arrest (policy: acute) + unknown code.
        var result = EligibilityScreening.Screen([Snomed("38341003"), Snomed("44054006"), Snomed("15777000"), Snomed("410429000"), Snomed("999999999")]);
        Assert.Equal(["ccw:21", "ccw:39"], result.Groups);
        Assert.Equal(["999999999"], result.UnmappedSnomedCodes);
        Assert.Contains(result.NotQualifying, n => n.Reason == NonQualifyingReason.UnmappedSnomed);
        Assert.Contains(result.NotQualifying, n => n.Icd10CmCode == "I469" && n.Reason == NonQualifyingReason.NotChronic);
        Assert.Contains(result.NotQualifying, n => n.Icd10CmCode == "R7303" && n.Reason == NonQualifyingReason.NotChronic);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenUnknownIcd10AndNoCode_WhenScreened_ThenReportedNotThrown()
    {
        var result = EligibilityScreening.Screen([Icd("Q99.999"), new ConditionInput(null, null, true, "free text")]);
        Assert.Equal(ProgramSuggestion.None, result.Program);
        Assert.Contains(result.NotQualifying, n => n.Reason == NonQualifyingReason.UnknownIcd10);
        Assert.Contains(result.NotQualifying, n => n.Reason == NonQualifyingReason.NoCode);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenExplicitIcd10AndSnomed_WhenScreened_ThenIcd10Wins()
    {
        var result = EligibilityScreening.Screen([new ConditionInput("38341003", "E11.9", true)]);
        Assert.Equal(["ccw:21"], result.Groups);
    }
}
