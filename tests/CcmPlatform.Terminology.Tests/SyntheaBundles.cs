using System.Text.Json;

namespace CcmPlatform.Terminology.Tests;

public sealed record SyntheaPatient(string FileName, string Name, DateOnly BirthDate, string? DeceasedDateTime, IReadOnlyList<ConditionInput> Conditions);

/// <summary>Reads Synthea FHIR R4 transaction bundles from disk (test-only I/O).</summary>
public static class SyntheaBundles
{
    public const string SnomedSystem = "http://snomed.info/sct";

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CcmPlatform.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No CcmPlatform.sln above {AppContext.BaseDirectory}.");
    }

    public static string SampleFolder => Path.Combine(RepoRoot(), "data", "synthea-sample");

    public static string SharedFolder => Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "data", "synthea"));

    public static IReadOnlyList<SyntheaPatient> ReadFolder(string folder) =>
        Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(Read).ToArray();

    public static SyntheaPatient Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        string name = "", deceased = null!;
        var birth = DateOnly.MinValue;
        var conditions = new List<ConditionInput>();
        foreach (var entry in doc.RootElement.GetProperty("entry").EnumerateArray())
        {
            var resource = entry.GetProperty("resource");
            switch (resource.GetProperty("resourceType").GetString())
            {
                case "Patient":
                    var n = resource.GetProperty("name")[0];
                    name = $"{n.GetProperty("given")[0].GetString()} {n.GetProperty("family").GetString()}";
                    birth = DateOnly.Parse(resource.GetProperty("birthDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                    if (resource.TryGetProperty("deceasedDateTime", out var d)) deceased = d.GetString()!;
                    break;
                case "Condition":
                    var active = resource.TryGetProperty("clinicalStatus", out var status)
                        && status.GetProperty("coding").EnumerateArray().Any(c => c.GetProperty("code").GetString() == "active");
                    foreach (var coding in resource.GetProperty("code").GetProperty("coding").EnumerateArray())
                    {
                        if (coding.GetProperty("system").GetString() != SnomedSystem) continue;
                        conditions.Add(new ConditionInput(
                            coding.GetProperty("code").GetString(),
                            null,
                            active,
                            coding.TryGetProperty("display", out var display) ? display.GetString() : null));
                    }
                    break;
            }
        }
        return new SyntheaPatient(Path.GetFileName(path), name, birth, deceased, conditions);
    }
}
