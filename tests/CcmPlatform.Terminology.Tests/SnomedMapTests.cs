namespace CcmPlatform.Terminology.Tests;

public class SnomedMapTests
{
    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenEveryMapRow_WhenItsIcd10IsClassified_ThenGroupAgreesWithAlgorithm()
    {
        Assert.NotEmpty(SnomedMap.Default.All);
        var disagreements = new List<string>();
        foreach (var row in SnomedMap.Default.All)
        {
            Assert.True(Icd10Cm.Default.IsBillable(row.Icd10CmCode), $"{row.SnomedCode}: {row.Icd10CmCode} is not a billable FY2022 code");
            Assert.False(string.IsNullOrWhiteSpace(row.Source), $"{row.SnomedCode}: no source");
            var derived = ChronicGroups.Classify(row.Icd10CmCode);
            if (row.IsPolicyOverride)
            {
                // Overrides only ever make an acute event not chronic, never invent a group.
                if (row.IsChronic) disagreements.Add($"{row.SnomedCode}: override must be not-chronic");
                continue;
            }
            if (!row.ChronicGroups.SequenceEqual(derived.Groups))
                disagreements.Add($"{row.SnomedCode} {row.Icd10CmCode}: map says {row.GroupText}, algorithm says {(derived.Groups.Count == 0 ? "not-chronic" : string.Join('|', derived.Groups))}");
        }
        Assert.Empty(disagreements);
    }

    [Theory]
    [Trait("Rule", "R-ELIG-2")]
    [InlineData("74400008")]  // appendicitis
    [InlineData("47693006")]  // rupture of appendix
    [InlineData("410429000")] // cardiac arrest
    [InlineData("19169002")]  // miscarriage
    [InlineData("429007001")] // history of cardiac arrest
    [InlineData("428251008")] // history of appendectomy
    [InlineData("703151001")] // history of single seizure
    [InlineData("15777000")]  // prediabetes
    public void GivenAcuteFindingSyntheaLeavesActive_WhenLookedUp_ThenNotChronic(string snomed)
    {
        var row = SnomedMap.Default.Lookup(snomed);
        Assert.NotNull(row);
        Assert.False(row.IsChronic);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenAPolicyOverrideRow_WhenRead_ThenItsSourceNamesTheIcd10CodeItOverridesWithTheIcd10Label()
    {
        var overrides = SnomedMap.Default.All.Where(r => r.IsPolicyOverride).ToList();
        Assert.NotEmpty(overrides);
        Assert.All(overrides, row =>
        {
            var label = Icd10Cm.Default.Describe(row.Icd10CmCode);
            Assert.NotNull(label);
            Assert.Contains(Icd10Cm.Default.Find(row.Icd10CmCode)!.Dotted, row.Source, StringComparison.Ordinal);
            Assert.Contains(label, row.Source, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Equal("Cardiac arrest, cause unspecified", Icd10Cm.Default.Describe("I46.9"));
    }

    [Fact]
    public void GivenUnknownSnomedCode_WhenLookedUp_ThenNullNotThrow()
    {
        Assert.Null(SnomedMap.Default.Lookup("123"));
        Assert.Null(SnomedMap.Default.Lookup(null));
        Assert.Null(SnomedMap.Default.Lookup("  "));
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenMultiGroupCode_WhenLookedUp_ThenEveryGroupKept()
    {
        var row = SnomedMap.Default.Lookup("127013003")!;
        Assert.Equal(["ccw:16", "ccw:21"], row.ChronicGroups);
        Assert.Equal("E1121", row.Icd10CmCode);
    }
}
