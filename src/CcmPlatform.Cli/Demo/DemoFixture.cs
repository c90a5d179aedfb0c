using System.Text.Json;
using System.Text.Json.Serialization;

namespace CcmPlatform.Cli.Demo;

/// <summary>The committed demo fixture (data/demo/fixture.json): activity per patient and the outcome each must get.</summary>
public sealed record DemoFixture(string Month, FixturePractice Practice, IReadOnlyList<FixtureRosterMember> Roster, IReadOnlyList<FixturePatient> Patients)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static DemoFixture Load(string path)
        => JsonSerializer.Deserialize<DemoFixture>(File.ReadAllText(path), Json) ?? throw new CliException($"empty fixture {path}");
}

public sealed record FixturePractice(string Name, string TimeZone);

public sealed record FixtureRosterMember(string Key, string DisplayName, string Kind, string Credential, string? PractitionerType, string? Npi, string? Role);

public sealed record FixturePatient(
    string File,
    string? Story,
    FixtureCoverage? Coverage,
    DateTime? ConsentAt,
    FixtureVisit? InitiatingVisit,
    FixtureCarePlan? CarePlan,
    IReadOnlyList<FixtureEntry>? Entries,
    FixtureExpectation Expected);

public sealed record FixtureCoverage(string Mbi, bool Qmb);

public sealed record FixtureVisit(string Code, DateTime StartAt, int Minutes);

public sealed record FixtureCarePlan(DateTime SignedAt, DateTime? SharedAt);

public sealed record FixtureEntry(string Staff, DateTime StartAt, int Minutes, string Activity, bool Timer = false);

public sealed record FixtureExpectation(
    string Outcome,
    IReadOnlyList<FixtureLine>? Lines,
    long? TotalCents,
    string? Reason,
    IReadOnlyList<string>? Reasons,
    int? CountableMinutes);

public sealed record FixtureLine(string Code, int Units, long AmountCents);
