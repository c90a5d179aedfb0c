using Xunit.Abstractions;

namespace CcmPlatform.Terminology.Tests;

public class SyntheaSampleTests(ITestOutputHelper output)
{
    private static readonly IReadOnlyList<SyntheaPatient> Sample = SyntheaBundles.ReadFolder(SyntheaBundles.SampleFolder);

    private static SyntheaPatient Patient(string name) => Sample.Single(p => p.FileName.StartsWith(name + "_", StringComparison.Ordinal));

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenCommittedSampleBundles_WhenEverySnomedCodeLookedUp_ThenAllMapped()
    {
        Assert.InRange(Sample.Count, 6, 7);
        var unmapped = Sample.SelectMany(p => p.Conditions).Select(c => c.SnomedCode!).Where(c => SnomedMap.Default.Lookup(c) is null).Distinct().ToArray();
        Assert.Empty(unmapped);
    }

    [SkippableFact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenFullSharedSyntheaSet_WhenEverySnomedCodeLookedUp_ThenAllMapped()
    {
        var folder = SyntheaBundles.SharedFolder;
        Skip.If(!Directory.Exists(folder), $"Shared Synthea data not found at {folder}; the committed sample is covered by another test.");
        var patients = SyntheaBundles.ReadFolder(folder);
        Assert.Equal(25, patients.Count);
        var codes = patients.SelectMany(p => p.Conditions).Select(c => c.SnomedCode!).Distinct().ToArray();
        var unmapped = codes.Where(c => SnomedMap.Default.Lookup(c) is null).ToArray();
        output.WriteLine($"{codes.Length} distinct SNOMED condition codes in {patients.Count} bundles; unmapped: {unmapped.Length}");
        Assert.Empty(unmapped);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenSamplePatients_WhenScreened_ThenEachHasAResultWithReasons()
    {
        foreach (var patient in Sample)
        {
            var result = EligibilityScreening.Screen(patient.Conditions);
            output.WriteLine($"{patient.Name} ({patient.BirthDate:yyyy-MM-dd}{(patient.DeceasedDateTime is null ? "" : ", deceased " + patient.DeceasedDateTime)}): {result.Program} {result.DistinctGroups} [{string.Join(", ", result.Groups)}]");
            Assert.Empty(result.UnmappedSnomedCodes);
            Assert.NotEmpty(result.Reasons);
            // Every sample bundle carries 2+ chronic conditions (data README), and the map agrees.
            Assert.Equal(ProgramSuggestion.Ccm, result.Program);
        }
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenAdanPortillo_WhenScreened_ThenCcmWithFiveGroupsIncludingMergedAlzheimers()
    {
        var result = EligibilityScreening.Screen(Patient("Adan_Portillo").Conditions);
        Assert.Equal(ProgramSuggestion.Ccm, result.Program);
        Assert.Equal(["ccw:10", "ccw:50", "ccw:52", "ccw:6", "ccw:67"], result.Groups);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenTommyFriesen_WhenScreened_ThenCcmWithHeartFailureDementiaAnemia()
    {
        var result = EligibilityScreening.Screen(Patient("Tommy_Friesen").Conditions);
        Assert.Equal(ProgramSuggestion.Ccm, result.Program);
        Assert.Equal(["ccw:28", "ccw:6", "ccw:7"], result.Groups);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-2")]
    public void GivenEdwardGulgowski_WhenScreened_ThenConditionsQualifyButAgeIsTheCallersCheck()
    {
        var patient = Patient("Edward_Gulgowski");
        Assert.True(patient.BirthDate > new DateOnly(1960, 3, 31)); // under 65 in March 2025
        var result = EligibilityScreening.Screen(patient.Conditions);
        Assert.Equal(ProgramSuggestion.Ccm, result.Program);
        Assert.Equal(["ccw:39", "ccw:50"], result.Groups);
        Assert.Contains(result.NotQualifying, n => n.Reason == NonQualifyingReason.Inactive);
    }

    [Fact]
    public void GivenSample_WhenRead_ThenExactlyOneDeceasedPatient()
    {
        var deceased = Assert.Single(Sample, p => p.DeceasedDateTime is not null);
        Assert.StartsWith("Parker_Casper_", deceased.FileName, StringComparison.Ordinal);
    }
}
