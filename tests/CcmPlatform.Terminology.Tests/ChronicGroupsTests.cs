namespace CcmPlatform.Terminology.Tests;

public class ChronicGroupsTests
{
    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenCcwIncludeCode_WhenClassified_ThenItsCcwGroup()
    {
        var c = ChronicGroups.Classify("I10");
        Assert.Equal(ChronicStatus.Chronic, c.Status);
        Assert.Equal(["ccw:39"], c.Groups);
    }

    [Theory]
    [Trait("Rule", "R-ELIG-2")]
    [InlineData("I21.4")]    // NSTEMI: CCW 3 (acute) and 41 (ischemic heart disease), AHRQ-chronic too
    [InlineData("S72.001A")] // hip fracture, CCW 36
    public void GivenIncludeInAcuteCcwCondition_WhenClassified_ThenNeverChronic(string code)
    {
        var c = ChronicGroups.Classify(code);
        Assert.Equal(ChronicStatus.AcuteCcw, c.Status);
        Assert.Empty(c.Groups);
    }

    [Theory]
    [Trait("Rule", "R-ELIG-2")]
    [InlineData("G30.9", "ccw:6")]  // Alzheimer's: CCW 5 and 6
    [InlineData("F03.90", "ccw:6")] // dementia: CCW 6 only
    [InlineData("F20.9", "ccw:61")] // schizophrenia: CCW 60 and 61
    [InlineData("F29", "ccw:61")]   // other psychosis: CCW 61 only
    public void GivenNestedCcwConditions_WhenClassified_ThenMergedIntoBroadGroup(string code, string group)
    {
        Assert.Equal([group], ChronicGroups.Classify(code).Groups);
    }

    [Theory]
    [Trait("Rule", "R-ELIG-2")]
    [InlineData("J30.2", "ahrq:J30")]
    [InlineData("J30.89", "ahrq:J30")]
    [InlineData("J32.9", "ahrq:J32")]
    [InlineData("E88.81", "ahrq:E88")]
    public void GivenAhrqOnlyChronicCode_WhenClassified_ThenGroupedByThreeCharacterCategory(string code, string group)
    {
        var c = ChronicGroups.Classify(code);
        Assert.Equal(ChronicStatus.Chronic, c.Status);
        Assert.Equal([group], c.Groups);
    }

    [Theory]
    [Trait("Rule", "R-ELIG-2")]
    [InlineData("R73.03")] // prediabetes
    [InlineData("J02.9")]
    [InlineData("S06.0X0A")] // concussion: Exclude in CCW 67, not AHRQ-chronic
    public void GivenNonChronicCode_WhenClassified_ThenNotChronic(string code)
    {
        var c = ChronicGroups.Classify(code);
        Assert.Equal(ChronicStatus.NotChronic, c.Status);
        Assert.Empty(c.Groups);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenUnknownCode_WhenClassified_ThenUnknown()
    {
        Assert.Equal(ChronicStatus.Unknown, ChronicGroups.Classify("X99.99").Status);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenCodeInSeveralCcwConditions_WhenClassified_ThenEveryGroupListed()
    {
        Assert.Equal(["ccw:16", "ccw:28", "ccw:39"], ChronicGroups.Classify("I13.0").Groups);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenCcwTable_WhenLoaded_ThenAcuteIdsAndMergesAsPublished()
    {
        Assert.Equal(69, CcwConditions.Default.Conditions.Count);
        Assert.Equal([3, 29, 31, 35, 36], CcwConditions.AcuteConditionIds.Order());
        Assert.True(CcwConditions.Default.Condition(3)!.IsAcute);
        Assert.Equal(6, CcwConditions.MergedGroupId(5));
        Assert.Equal(61, CcwConditions.MergedGroupId(60));
        Assert.Equal(21, CcwConditions.MergedGroupId(21));
        Assert.True(CcwConditions.Default.IsExclude("S060X0A", 67));
        Assert.Contains(41, CcwConditions.Default.IncludedIn("I214"));
    }
}
