namespace CcmPlatform.Terminology.Tests;

public class Icd10CmTests
{
    [Theory]
    [Trait("Rule", "R-ELIG-2")]
    [InlineData("E11.9", "E119")]
    [InlineData("E119", "E119")]
    [InlineData(" e11.9 ", "E119")]
    [InlineData("s72.001a", "S72001A")]
    [InlineData("I10", "I10")]
    public void GivenDottedOrUndottedCode_WhenNormalized_ThenCanonicalUndottedUpperCase(string input, string expected)
    {
        Assert.True(Icd10Cm.Default.TryNormalize(input, out var code));
        Assert.Equal(expected, code);
    }

    [Theory]
    [Trait("Rule", "R-ELIG-2")]
    [InlineData("Z99.999")]
    [InlineData("E11..9")]
    [InlineData("E1.19")]
    [InlineData("11.9")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("E11.9; DROP")]
    public void GivenUnknownOrMalformedCode_WhenNormalized_ThenRejected(string? input)
    {
        Assert.False(Icd10Cm.Default.TryNormalize(input, out var code));
        Assert.Equal(string.Empty, code);
        Assert.False(Icd10Cm.Default.IsKnown(input));
        Assert.Null(Icd10Cm.Default.Describe(input));
    }

    [Fact]
    public void GivenTheEmbeddedTable_WhenLoaded_ThenHoldsEveryFy2022Code()
    {
        Assert.Equal(95_524, Icd10Cm.Default.Count);
        Assert.Same(Icd10Cm.Default, Icd10Cm.Default);
    }

    [Fact]
    public void GivenCategoryAndLeafCodes_WhenAskedBillable_ThenOnlyLeafIsBillable()
    {
        Assert.True(Icd10Cm.Default.IsKnown("E11"));
        Assert.False(Icd10Cm.Default.IsBillable("E11"));
        Assert.True(Icd10Cm.Default.IsBillable("E11.9"));
        Assert.Equal("Type 2 diabetes mellitus without complications", Icd10Cm.Default.Describe("e119"));
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenAhrqFlags_WhenAsked_ThenOnlyCIsChronic()
    {
        Assert.True(Icd10Cm.Default.IsAhrqChronic("J30.2"));
        Assert.False(Icd10Cm.Default.IsAhrqChronic("J02.9"));
        Assert.False(Icd10Cm.Default.IsAhrqChronic("R73.03"));
    }
}
