namespace CcmPlatform.Terminology;

public sealed record CcwCondition(int Id, string Name, string Category)
{
    public bool IsAcute => CcwConditions.AcuteConditionIds.Contains(Id);
}

/// <summary>
/// CMS Chronic Conditions Warehouse condition lists (Tuva Project snapshot, Apache-2.0): which CCW conditions
/// include or exclude each ICD-10-CM code. ICD-10-PCS rows are procedures and are ignored.
/// </summary>
public sealed class CcwConditions
{
    /// <summary>CCW conditions that are acute events (R-ELIG-2): AMI, hepatitis A, hepatitis C acute, hepatitis E, hip/pelvic fracture.</summary>
    public static readonly IReadOnlySet<int> AcuteConditionIds = new HashSet<int> { 3, 29, 31, 35, 36 };

    /// <summary>Nested CCW conditions counted as one group (R-ELIG-2): the narrow one folds into the broad one.</summary>
    public static readonly IReadOnlyDictionary<int, int> NestedMerges = new Dictionary<int, int> { [5] = 6, [60] = 61 };

    private static readonly Lazy<CcwConditions> Lazy = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static CcwConditions Default => Lazy.Value;

    private readonly Dictionary<int, CcwCondition> _conditions;
    private readonly Dictionary<string, int[]> _includedIn;
    private readonly Dictionary<string, int[]> _excludedFrom;

    private CcwConditions(Dictionary<int, CcwCondition> conditions, Dictionary<string, int[]> includedIn, Dictionary<string, int[]> excludedFrom)
    {
        _conditions = conditions;
        _includedIn = includedIn;
        _excludedFrom = excludedFrom;
    }

    public IReadOnlyCollection<CcwCondition> Conditions => _conditions.Values;

    public CcwCondition? Condition(int id) => _conditions.GetValueOrDefault(id);

    /// <summary>The group a CCW condition counts under after nested merges (5 → 6, 60 → 61).</summary>
    public static int MergedGroupId(int conditionId) => NestedMerges.TryGetValue(conditionId, out var merged) ? merged : conditionId;

    /// <summary>CCW condition ids listing the (undotted, upper-case) code as Include.</summary>
    public IReadOnlyList<int> IncludedIn(string icd10Code) => _includedIn.TryGetValue(icd10Code, out var ids) ? ids : [];

    /// <summary>CCW condition ids listing the code as Exclude.</summary>
    public IReadOnlyList<int> ExcludedFrom(string icd10Code) => _excludedFrom.TryGetValue(icd10Code, out var ids) ? ids : [];

    public bool IsInclude(string icd10Code, int conditionId) => IncludedIn(icd10Code).Contains(conditionId);

    public bool IsExclude(string icd10Code, int conditionId) => ExcludedFrom(icd10Code).Contains(conditionId);

    /// <summary>True when the code is Include in an acute CCW condition; such a code never qualifies.</summary>
    public bool IsAcuteInclude(string icd10Code) => IncludedIn(icd10Code).Any(AcuteConditionIds.Contains);

    /// <summary>Merged, non-acute CCW groups whose Include list holds the code and whose Exclude list does not.</summary>
    public IReadOnlyList<int> ChronicGroupIds(string icd10Code)
    {
        var excluded = ExcludedFrom(icd10Code);
        return IncludedIn(icd10Code)
            .Where(id => !AcuteConditionIds.Contains(id) && !excluded.Contains(id))
            .Select(MergedGroupId)
            .Distinct()
            .Order()
            .ToArray();
    }

    private static CcwConditions Load()
    {
        var conditions = new Dictionary<int, CcwCondition>();
        var include = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        var exclude = new Dictionary<string, SortedSet<int>>(StringComparer.Ordinal);
        Dictionary<string, int>? h = null;
        foreach (var row in ReferenceData.ReadCsv(ReferenceData.CcwConditions))
        {
            if (h is null) { h = ReferenceData.HeaderIndex(row); continue; }
            var id = int.Parse(row[h["condition_id"]], System.Globalization.CultureInfo.InvariantCulture);
            conditions.TryAdd(id, new CcwCondition(id, row[h["condition"]], row[h["condition_category"]]));
            if (row[h["code_type"]] != "ICD-10-CM") continue;
            var code = row[h["code"]].Trim().Replace(".", "", StringComparison.Ordinal).ToUpperInvariant();
            var target = row[h["inclusion_type"]] switch
            {
                "Include" => include,
                "Exclude" => exclude,
                _ => null,
            };
            if (target is null) continue;
            if (!target.TryGetValue(code, out var set)) target[code] = set = [];
            set.Add(id);
        }
        return new CcwConditions(
            conditions,
            include.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal),
            exclude.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
    }
}
