namespace CcmPlatform.Terminology;

public enum ChronicStatus
{
    /// <summary>Counts toward CCM/PCM: at least one chronic group.</summary>
    Chronic,
    /// <summary>Neither a non-acute CCW Include nor AHRQ-chronic.</summary>
    NotChronic,
    /// <summary>Include in an acute CCW condition (3, 29, 31, 35, 36): never qualifies.</summary>
    AcuteCcw,
    /// <summary>Not an ICD-10-CM FY2022 code.</summary>
    Unknown,
}

/// <summary>How one ICD-10-CM code is grouped under R-ELIG-2.</summary>
public sealed record ChronicClassification(string Icd10CmCode, ChronicStatus Status, IReadOnlyList<string> Groups);

/// <summary>
/// The R-ELIG-2 grouping of one ICD-10-CM code. Group ids: <c>ccw:&lt;id&gt;</c> for a CCW condition (nested
/// conditions merged: 5 into 6, 60 into 61), <c>ahrq:&lt;category&gt;</c> for a code chronic only by AHRQ.
/// </summary>
public static class ChronicGroups
{
    public const string NotChronic = "not-chronic";

    /// <summary>
    /// Whether a condition's group text, as Patients publishes it, names at least one chronic group: empty text and the
    /// map's "not-chronic" (an acute finding left active) name none.
    /// </summary>
    public static bool NamesAGroup(string? groupText) => !string.IsNullOrWhiteSpace(groupText) && groupText != NotChronic;

    public static ChronicClassification Classify(string? icd10) => Classify(icd10, Icd10Cm.Default, CcwConditions.Default);

    public static ChronicClassification Classify(string? icd10, Icd10Cm icd, CcwConditions ccw)
    {
        if (!icd.TryGet(icd10, out var entry))
            return new ChronicClassification(icd10?.Trim() ?? string.Empty, ChronicStatus.Unknown, []);
        var code = entry.Code;
        // An acute CCW Include wins over every other membership (e.g. I21.x is also in CCW 41 ischemic heart disease).
        if (ccw.IsAcuteInclude(code))
            return new ChronicClassification(code, ChronicStatus.AcuteCcw, []);
        var ccwGroups = ccw.ChronicGroupIds(code);
        if (ccwGroups.Count > 0)
            return new ChronicClassification(code, ChronicStatus.Chronic, ccwGroups.Select(CcwGroup).ToArray());
        if (entry.IsAhrqChronic)
            return new ChronicClassification(code, ChronicStatus.Chronic, [AhrqGroup(entry.Category)]);
        return new ChronicClassification(code, ChronicStatus.NotChronic, []);
    }

    public static string CcwGroup(int conditionId) => $"ccw:{CcwConditions.MergedGroupId(conditionId)}";

    public static string AhrqGroup(string category) => $"ahrq:{category.ToUpperInvariant()}";

    /// <summary>Human-readable name of a group id ("ccw:21" → "Diabetes (CCW 21)").</summary>
    public static string Describe(string group)
    {
        if (group.StartsWith("ccw:", StringComparison.Ordinal)
            && int.TryParse(group.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            var name = CcwConditions.Default.Condition(id)?.Name ?? "unknown CCW condition";
            var merged = CcwConditions.NestedMerges.Where(kv => kv.Value == id).Select(kv => kv.Key).ToArray();
            return merged.Length == 0 ? $"{name} (CCW {id})" : $"{name} (CCW {id}, includes CCW {string.Join(", ", merged)})";
        }
        if (group.StartsWith("ahrq:", StringComparison.Ordinal))
        {
            var category = group[5..];
            var name = Icd10Cm.Default.Find(category)?.ShortDescription ?? "ICD-10-CM category";
            return $"{name} (AHRQ chronic, ICD-10-CM {category})";
        }
        return group;
    }
}
