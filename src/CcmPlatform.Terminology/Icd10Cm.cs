namespace CcmPlatform.Terminology;

/// <summary>One ICD-10-CM FY2022 code (stored without the dot).</summary>
public sealed record Icd10CmCode(
    string Code,
    bool IsBillable,
    string ShortDescription,
    string LongDescription,
    string ChronicIndicator)
{
    /// <summary>AHRQ Chronic Condition Indicator: C = chronic.</summary>
    public bool IsAhrqChronic => ChronicIndicator == "C";

    /// <summary>The 3-character category, e.g. E11 for E119.</summary>
    public string Category => Code[..3];

    /// <summary>Dotted form for display, e.g. E11.9.</summary>
    public string Dotted => Dot(Code);

    /// <summary>A stored (undotted) code as people read it: the dot after the 3-character category.</summary>
    public static string Dot(string code) => code.Length > 3 && code[3] != '.' ? $"{code[..3]}.{code[3..]}" : code;
}

/// <summary>The ICD-10-CM FY2022 code table (icd10us, CC BY 4.0), loaded once from the embedded file.</summary>
public sealed class Icd10Cm
{
    private static readonly Lazy<Icd10Cm> Lazy = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Icd10Cm Default => Lazy.Value;

    private readonly Dictionary<string, Icd10CmCode> _codes;

    private Icd10Cm(Dictionary<string, Icd10CmCode> codes) => _codes = codes;

    public int Count => _codes.Count;

    public IEnumerable<Icd10CmCode> All => _codes.Values;

    /// <summary>
    /// Accepts dotted or undotted, any case, surrounding blanks ("e11.9 " → "E119").
    /// True only for a code in the FY2022 table; anything else yields an empty code.
    /// </summary>
    public bool TryNormalize(string? input, out string code)
    {
        code = string.Empty;
        if (!TryCanonicalShape(input, out var candidate) || !_codes.ContainsKey(candidate)) return false;
        code = candidate;
        return true;
    }

    public bool TryGet(string? input, out Icd10CmCode entry)
    {
        if (TryCanonicalShape(input, out var candidate) && _codes.TryGetValue(candidate, out var found))
        {
            entry = found;
            return true;
        }
        entry = null!;
        return false;
    }

    public Icd10CmCode? Find(string? input) => TryGet(input, out var entry) ? entry : null;

    public bool IsKnown(string? input) => TryGet(input, out _);

    public bool IsBillable(string? input) => TryGet(input, out var entry) && entry.IsBillable;

    public bool IsAhrqChronic(string? input) => TryGet(input, out var entry) && entry.IsAhrqChronic;

    /// <summary>Long description, or null for an unknown code.</summary>
    public string? Describe(string? input) => TryGet(input, out var entry) ? entry.LongDescription : null;

    // Shape only: letter, digit, then up to 5 alphanumerics; one optional dot after the category.
    private static bool TryCanonicalShape(string? input, out string candidate)
    {
        candidate = string.Empty;
        if (string.IsNullOrWhiteSpace(input)) return false;
        var trimmed = input.Trim().ToUpperInvariant();
        var dot = trimmed.IndexOf('.');
        if (dot >= 0)
        {
            if (dot != 3 || trimmed.IndexOf('.', dot + 1) >= 0) return false;
            trimmed = trimmed.Remove(dot, 1);
        }
        if (trimmed.Length is < 3 or > 7) return false;
        if (!char.IsAsciiLetterUpper(trimmed[0]) || !char.IsAsciiDigit(trimmed[1])) return false;
        foreach (var ch in trimmed)
            if (!char.IsAsciiLetterOrDigit(ch)) return false;
        candidate = trimmed;
        return true;
    }

    private static Icd10Cm Load()
    {
        var codes = new Dictionary<string, Icd10CmCode>(100_000, StringComparer.Ordinal);
        Dictionary<string, int>? h = null;
        foreach (var row in ReferenceData.ReadCsv(ReferenceData.Icd10CmFull))
        {
            if (h is null) { h = ReferenceData.HeaderIndex(row); continue; }
            var code = row[h["icd10cm_code"]].Trim();
            codes[code] = new Icd10CmCode(
                code,
                row[h["valid_billing_code"]] == "1",
                row[h["icd10cm_short_description"]],
                row[h["icd10cm_long_description"]],
                row[h["chronic_indicator"]].Trim());
        }
        return new Icd10Cm(codes);
    }
}
