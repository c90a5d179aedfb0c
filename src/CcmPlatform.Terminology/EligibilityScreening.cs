namespace CcmPlatform.Terminology;

/// <summary>One recorded condition as the screening sees it. Either code may be missing.</summary>
public sealed record ConditionInput(string? SnomedCode, string? Icd10Code, bool Active, string? Display = null);

public enum ProgramSuggestion
{
    None,
    /// <summary>Exactly one qualifying group (R-ELIG-3).</summary>
    Pcm,
    /// <summary>Two or more distinct qualifying groups (R-ELIG-1, R-ELIG-2).</summary>
    Ccm,
}

public enum NonQualifyingReason
{
    Inactive,
    NotChronic,
    AcuteCcw,
    UnmappedSnomed,
    UnknownIcd10,
    NoCode,
}

/// <param name="Group">The group this condition was assigned to in the maximum assignment.</param>
/// <param name="CandidateGroups">Every group its ICD-10-CM code belongs to.</param>
public sealed record QualifyingCondition(
    ConditionInput Condition,
    string Icd10CmCode,
    string Group,
    IReadOnlyList<string> CandidateGroups,
    string Source);

public sealed record NonQualifyingCondition(
    ConditionInput Condition,
    string? Icd10CmCode,
    NonQualifyingReason Reason,
    string Explanation);

/// <summary>A suggestion with its reasons; a clinician confirms enrollment (R-ELIG-2). Deceased handling is the caller's.</summary>
public sealed record ScreeningResult(
    ProgramSuggestion Program,
    int DistinctGroups,
    IReadOnlyList<string> Groups,
    IReadOnlyList<QualifyingCondition> Qualifying,
    IReadOnlyList<NonQualifyingCondition> NotQualifying,
    IReadOnlyList<string> UnmappedSnomedCodes,
    IReadOnlyList<string> Reasons);

/// <summary>R-ELIG-1..3 screening over a patient's recorded conditions. Pure: tables are embedded, no I/O beyond them.</summary>
public static class EligibilityScreening
{
    public static ScreeningResult Screen(IEnumerable<ConditionInput> conditions) =>
        Screen(conditions, Icd10Cm.Default, CcwConditions.Default, SnomedMap.Default);

    public static ScreeningResult Screen(IEnumerable<ConditionInput> conditions, Icd10Cm icd, CcwConditions ccw, SnomedMap map)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var candidates = new List<(ConditionInput Input, string Code, IReadOnlyList<string> Groups, string Source)>();
        var notQualifying = new List<NonQualifyingCondition>();
        var unmapped = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var input in conditions)
        {
            var resolved = Resolve(input, icd, ccw, map);
            if (resolved.Reason is { } failure)
            {
                if (failure == NonQualifyingReason.UnmappedSnomed) unmapped.Add(input.SnomedCode!.Trim());
                notQualifying.Add(new NonQualifyingCondition(input, resolved.Code, failure, resolved.Explanation));
            }
            else if (!input.Active)
            {
                notQualifying.Add(new NonQualifyingCondition(input, resolved.Code, NonQualifyingReason.Inactive,
                    $"{Label(input, resolved.Code, icd)}: not active, does not count (R-ELIG-2)."));
            }
            else if (resolved.Groups.Count == 0)
            {
                notQualifying.Add(new NonQualifyingCondition(input, resolved.Code, resolved.Status, resolved.Explanation));
            }
            else
            {
                candidates.Add((input, resolved.Code!, resolved.Groups, resolved.Source));
            }
        }

        var assignment = MaximumAssignment(candidates.GroupBy(c => c.Code, StringComparer.Ordinal).Select(g => (g.Key, g.First().Groups)));
        var qualifying = candidates
            .Select(c => new QualifyingCondition(c.Input, c.Code, assignment[c.Code], c.Groups, c.Source))
            .ToArray();
        var groups = assignment.Values.Distinct().Order(StringComparer.Ordinal).ToArray();
        var program = groups.Length switch
        {
            0 => ProgramSuggestion.None,
            1 => ProgramSuggestion.Pcm,
            _ => ProgramSuggestion.Ccm,
        };

        var reasons = new List<string>
        {
            program switch
            {
                ProgramSuggestion.Ccm => $"CCM suggested: {groups.Length} distinct chronic condition groups (R-ELIG-1, R-ELIG-2).",
                ProgramSuggestion.Pcm => "PCM suggested: exactly one chronic condition group (R-ELIG-3); CCM needs two or more.",
                _ => "No program suggested: no active chronic condition qualifies (R-ELIG-2).",
            },
        };
        foreach (var group in groups)
        {
            var codes = qualifying.Where(q => q.Group == group).Select(q => icd.Find(q.Icd10CmCode)!.Dotted).Distinct();
            reasons.Add($"Group {ChronicGroups.Describe(group)}: {string.Join(", ", codes)}.");
        }
        reasons.AddRange(notQualifying.Select(n => n.Explanation));
        if (unmapped.Count > 0)
            reasons.Add($"Unmapped SNOMED CT codes (not screened, report for mapping): {string.Join(", ", unmapped)}.");
        reasons.Add("This is a suggestion; a clinician confirms enrollment.");

        return new ScreeningResult(program, groups.Length, groups, qualifying, notQualifying, unmapped.ToArray(), reasons);
    }

    /// <summary>
    /// R-ELIG-2 max-assignment: each distinct code goes to one of its groups so that the number of distinct groups
    /// is largest (maximum bipartite matching, Kuhn's augmenting paths; inputs are a handful of codes).
    /// Codes left unmatched join their first group, which another code already holds.
    /// </summary>
    public static IReadOnlyDictionary<string, string> MaximumAssignment(IEnumerable<(string Code, IReadOnlyList<string> Groups)> codes)
    {
        var ordered = codes
            .Where(c => c.Groups.Count > 0)
            .OrderBy(c => c.Groups.Count).ThenBy(c => c.Code, StringComparer.Ordinal)
            .ToArray();
        var holder = new Dictionary<string, string>(StringComparer.Ordinal); // group → code
        var groupsOf = ordered.ToDictionary(c => c.Code, c => c.Groups.Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

        bool Augment(string code, HashSet<string> visited)
        {
            foreach (var group in groupsOf[code])
            {
                if (!visited.Add(group)) continue;
                if (!holder.TryGetValue(group, out var other) || Augment(other, visited))
                {
                    holder[group] = code;
                    return true;
                }
            }
            return false;
        }

        foreach (var (code, _) in ordered) Augment(code, new HashSet<string>(StringComparer.Ordinal));

        var result = holder.ToDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);
        foreach (var (code, _) in ordered)
            result.TryAdd(code, groupsOf[code][0]);
        return result;
    }

    private sealed record Resolution(string? Code, IReadOnlyList<string> Groups, NonQualifyingReason Status, string Explanation, string Source, NonQualifyingReason? Reason);

    // An explicit ICD-10-CM code (coded by the source system) wins over the SNOMED map; the map is the fallback.
    private static Resolution Resolve(ConditionInput input, Icd10Cm icd, CcwConditions ccw, SnomedMap map)
    {
        if (!string.IsNullOrWhiteSpace(input.Icd10Code))
        {
            if (icd.TryNormalize(input.Icd10Code, out var code))
                return FromClassification(input, ChronicGroups.Classify(code, icd, ccw), "ICD-10-CM as recorded", icd);
            if (map.Lookup(input.SnomedCode) is null)
                return new Resolution(null, [], NonQualifyingReason.UnknownIcd10,
                    $"{Name(input)}: '{input.Icd10Code.Trim()}' is not an ICD-10-CM FY2022 code.", string.Empty, NonQualifyingReason.UnknownIcd10);
        }

        if (string.IsNullOrWhiteSpace(input.SnomedCode))
            return new Resolution(null, [], NonQualifyingReason.NoCode, $"{Name(input)}: no SNOMED CT or ICD-10-CM code.", string.Empty, NonQualifyingReason.NoCode);

        var mapping = map.Lookup(input.SnomedCode);
        if (mapping is null)
            return new Resolution(null, [], NonQualifyingReason.UnmappedSnomed,
                $"{Name(input)}: SNOMED CT {input.SnomedCode.Trim()} is not in the platform map.", string.Empty, NonQualifyingReason.UnmappedSnomed);

        var source = $"SNOMED CT {mapping.SnomedCode} → {mapping.Icd10CmCode} ({mapping.Source})";
        if (mapping.IsChronic)
            return new Resolution(mapping.Icd10CmCode, mapping.ChronicGroups, NonQualifyingReason.NotChronic, string.Empty, source, null);
        if (mapping.IsPolicyOverride)
            return new Resolution(mapping.Icd10CmCode, [], NonQualifyingReason.NotChronic,
                $"{Label(input, mapping.Icd10CmCode, icd)}: acute event, not chronic by platform policy (R-ELIG-2).", source, null);
        return FromClassification(input, ChronicGroups.Classify(mapping.Icd10CmCode, icd, ccw), source, icd);
    }

    private static Resolution FromClassification(ConditionInput input, ChronicClassification c, string source, Icd10Cm icd) => c.Status switch
    {
        ChronicStatus.Chronic => new Resolution(c.Icd10CmCode, c.Groups, NonQualifyingReason.NotChronic, string.Empty, source, null),
        ChronicStatus.AcuteCcw => new Resolution(c.Icd10CmCode, [], NonQualifyingReason.AcuteCcw,
            $"{Label(input, c.Icd10CmCode, icd)}: in an acute CCW condition, never qualifies (R-ELIG-2).", source, null),
        ChronicStatus.Unknown => new Resolution(null, [], NonQualifyingReason.UnknownIcd10,
            $"{Name(input)}: '{c.Icd10CmCode}' is not an ICD-10-CM FY2022 code.", source, NonQualifyingReason.UnknownIcd10),
        _ => new Resolution(c.Icd10CmCode, [], NonQualifyingReason.NotChronic,
            $"{Label(input, c.Icd10CmCode, icd)}: not chronic (no non-acute CCW Include, not AHRQ-chronic) (R-ELIG-2).", source, null),
    };

    private static string Name(ConditionInput input) =>
        !string.IsNullOrWhiteSpace(input.Display) ? input.Display.Trim()
        : !string.IsNullOrWhiteSpace(input.SnomedCode) ? $"SNOMED CT {input.SnomedCode.Trim()}"
        : !string.IsNullOrWhiteSpace(input.Icd10Code) ? input.Icd10Code.Trim()
        : "condition";

    private static string Label(ConditionInput input, string? code, Icd10Cm icd) =>
        code is not null && icd.Find(code) is { } entry ? $"{Name(input)} [{entry.Dotted}]" : Name(input);
}
