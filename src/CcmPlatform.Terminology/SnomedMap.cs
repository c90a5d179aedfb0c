namespace CcmPlatform.Terminology;

/// <summary>
/// One row of the authored SNOMED CT → ICD-10-CM map. <see cref="ChronicGroups"/> is empty for "not-chronic";
/// a code in several CCW conditions lists each group (the map file separates them with '|').
/// </summary>
public sealed record SnomedMapping(
    string SnomedCode,
    string Display,
    IReadOnlyList<string> ChronicGroups,
    string Icd10CmCode,
    string Source)
{
    public bool IsChronic => ChronicGroups.Count > 0;

    /// <summary>The map's own text for the group column ("ccw:16|ccw:21", "not-chronic").</summary>
    public string GroupText => IsChronic ? string.Join('|', ChronicGroups) : Terminology.ChronicGroups.NotChronic;

    /// <summary>
    /// A row that overrides the algorithm to "not-chronic" for an acute event Synthea leaves active (R-ELIG-2);
    /// every other row's groups equal <see cref="Terminology.ChronicGroups.Classify(string?)"/> of its ICD-10-CM code.
    /// </summary>
    public bool IsPolicyOverride => Source.StartsWith(SnomedMap.PolicyOverridePrefix, StringComparison.Ordinal);
}

/// <summary>The platform's authored SNOMED CT condition map (data/reference/snomed-icd10-map.csv), loaded once.</summary>
public sealed class SnomedMap
{
    public const string PolicyOverridePrefix = "Policy override";

    private static readonly Lazy<SnomedMap> Lazy = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static SnomedMap Default => Lazy.Value;

    private readonly Dictionary<string, SnomedMapping> _rows;

    private SnomedMap(Dictionary<string, SnomedMapping> rows) => _rows = rows;

    public IReadOnlyCollection<SnomedMapping> All => _rows.Values;

    /// <summary>The mapping, or null for a code the map does not cover (the caller reports it; never throws).</summary>
    public SnomedMapping? Lookup(string? snomedCode)
    {
        if (string.IsNullOrWhiteSpace(snomedCode)) return null;
        return _rows.GetValueOrDefault(snomedCode.Trim());
    }

    public bool Contains(string? snomedCode) => Lookup(snomedCode) is not null;

    private static SnomedMap Load()
    {
        var rows = new Dictionary<string, SnomedMapping>(StringComparer.Ordinal);
        Dictionary<string, int>? h = null;
        foreach (var row in ReferenceData.ReadCsv(ReferenceData.SnomedMap))
        {
            if (h is null) { h = ReferenceData.HeaderIndex(row); continue; }
            var groupText = row[h["chronic_group"]].Trim();
            var groups = groupText == ChronicGroups.NotChronic
                ? []
                : groupText.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var snomed = row[h["snomed_code"]].Trim();
            rows[snomed] = new SnomedMapping(snomed, row[h["display"]], groups, row[h["icd10cm_code"]].Trim(), row[h["source"]]);
        }
        return new SnomedMap(rows);
    }
}
