using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Patients.Import;

namespace CcmPlatform.Patients.Tests;

/// <summary>Bundles that are JSON but not valid FHIR are refused as 400 naming the problem, never a 500.</summary>
public sealed class MalformedBundleParseTests
{
    [Theory]
    [InlineData("""{"resourceType":"Bundle","type":"transaction","entry":"nope"}""")]
    [InlineData("""{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient","id":"p1","name":"Alice"}}]}""")]
    [InlineData("""{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Condition","id":"c1","code":{"coding":[{"system":"http://snomed.info/sct","code":38341003}]}}}]}""")]
    public void GivenJsonThatIsNotValidFhir_WhenParsed_ThenA400RuleViolationNamesTheBundle(string json)
    {
        var ex = Assert.Throws<RuleViolationException>(() => SyntheaImport.ParseBundle(json));

        Assert.Equal(400, ex.Status);
        Assert.Equal("FHIR_BUNDLE", ex.Rule);
    }
}

/// <summary>Strict parsing must still accept every real Synthea bundle.</summary>
public sealed class SyntheaBundleParseTests
{
    [Fact]
    public void GivenTheCommittedSample_WhenEveryBundleIsParsed_ThenEachParses()
    {
        var files = Directory.GetFiles(CcmPlatform.TestSupport.TestInfrastructure.SampleDirectory, "*.json");

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.NotNull(SyntheaImport.ParseBundle(File.ReadAllText(f))));
    }

    [SkippableFact]
    public void GivenTheFullSharedSyntheaSet_WhenEveryBundleIsParsed_ThenEachParses()
    {
        var shared = CcmPlatform.TestSupport.TestInfrastructure.SharedDataDirectory;
        Skip.If(shared is null, "The full Synthea set (../shared/data/synthea) is not beside this clone; the committed sample is covered above.");
        var files = Directory.GetFiles(Path.Combine(shared!, "synthea"), "*.json");

        Assert.Equal(25, files.Length);
        Assert.All(files, f => Assert.NotNull(SyntheaImport.ParseBundle(File.ReadAllText(f))));
    }
}
