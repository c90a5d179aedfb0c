using System.Globalization;

namespace CcmPlatform.Billing.Rules;

/// <summary>One year's national non-facility fee schedule (R-FEE-1). Prices are precomputed in cents.</summary>
public sealed class FeeSchedule
{
    private readonly Dictionary<string, decimal> _rvus;
    private readonly Dictionary<string, long> _centsStandard;
    private readonly Dictionary<string, long>? _centsQp;

    public int Year { get; }
    public decimal ConversionFactor { get; }
    /// <summary>Conversion factor for Qualifying APM Participants, when the year has one.</summary>
    public decimal? QpConversionFactor { get; }
    public IReadOnlyDictionary<string, decimal> TotalRvus => _rvus;

    public FeeSchedule(int year, decimal conversionFactor, decimal? qpConversionFactor, IReadOnlyDictionary<string, decimal> nonFacilityTotalRvus)
    {
        if (conversionFactor <= 0) throw new ArgumentOutOfRangeException(nameof(conversionFactor));
        Year = year;
        ConversionFactor = conversionFactor;
        QpConversionFactor = qpConversionFactor;
        _rvus = new Dictionary<string, decimal>(nonFacilityTotalRvus, StringComparer.OrdinalIgnoreCase);
        _centsStandard = Price(_rvus, conversionFactor);
        _centsQp = qpConversionFactor is { } qp ? Price(_rvus, qp) : null;
        _knownStd = Known(_centsStandard);
        _knownQp = _centsQp is null ? _knownStd : Known(_centsQp);
    }

    private readonly long[] _knownStd, _knownQp;

    private static long[] Known(Dictionary<string, long> cents)
    {
        var a = new long[KnownCodes.Names.Length];
        for (var i = 0; i < a.Length; i++) a[i] = cents.TryGetValue(KnownCodes.Names[i], out var c) ? c : -1;
        return a;
    }

    /// <summary>Unit price of an engine code in cents, -1 when absent.</summary>
    internal long Known(KnownCode code, bool qualifyingApmParticipant) =>
        (qualifyingApmParticipant ? _knownQp : _knownStd)[(int)code];

    private static Dictionary<string, long> Price(Dictionary<string, decimal> rvus, decimal cf)
    {
        var d = new Dictionary<string, long>(rvus.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (code, rvu) in rvus) d[code] = UnitPriceCents(rvu, cf);
        return d;
    }

    /// <summary>R-FEE-1: round(total RVU × CF, 2, half away from zero), in cents.</summary>
    public static long UnitPriceCents(decimal totalRvu, decimal conversionFactor) =>
        (long)(Math.Round(totalRvu * conversionFactor, 2, MidpointRounding.AwayFromZero) * 100m);

    public bool Contains(string code) => _rvus.ContainsKey(code);

    /// <summary>Unit price in cents, or null when the code is absent (then it is not a candidate, R-CODE-5).</summary>
    public long? PriceCents(string code, bool qualifyingApmParticipant)
    {
        var table = qualifyingApmParticipant && _centsQp is not null ? _centsQp : _centsStandard;
        return table.TryGetValue(code, out var c) ? c : null;
    }

    /// <summary>
    /// Parses the CMS-derived CSV (header row; columns hcpcs, nonfac_total_rvu, conv_factor; optional
    /// qp_conv_factor). Pure: the caller reads the file. Throws FormatException on malformed input.
    /// </summary>
    public static FeeSchedule Parse(string csvText, int year, decimal? qpConversionFactor = null)
    {
        ArgumentNullException.ThrowIfNull(csvText);
        var lines = csvText.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var li = 0;
        while (li < lines.Length && string.IsNullOrWhiteSpace(lines[li])) li++;
        if (li == lines.Length) throw new FormatException("Fee schedule CSV is empty.");
        var header = SplitCsv(lines[li++]);
        int Col(string name, bool required)
        {
            for (var i = 0; i < header.Count; i++)
                if (string.Equals(header[i].Trim(), name, StringComparison.OrdinalIgnoreCase)) return i;
            if (required) throw new FormatException($"Fee schedule CSV has no '{name}' column.");
            return -1;
        }
        int codeCol = Col("hcpcs", true), rvuCol = Col("nonfac_total_rvu", true), cfCol = Col("conv_factor", true), qpCol = Col("qp_conv_factor", false);

        var rvus = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        decimal? cf = null, qp = qpConversionFactor;
        for (; li < lines.Length; li++)
        {
            if (string.IsNullOrWhiteSpace(lines[li])) continue;
            var f = SplitCsv(lines[li]);
            var need = Math.Max(codeCol, Math.Max(rvuCol, cfCol));
            if (f.Count <= need) throw new FormatException($"Fee schedule CSV line {li + 1} has too few columns.");
            var code = f[codeCol].Trim();
            if (code.Length == 0) continue;
            // CMS lists bundled codes at 0 RVU, which is fine for a code the engine never bills; a billed code at 0
            // would price its claims at nothing.
            var rvu = Codes.IsBilled(code.ToUpperInvariant()) ? Positive(f[rvuCol], li, "nonfac_total_rvu") : NotNegative(f[rvuCol], li, "nonfac_total_rvu");
            var rowCf = Positive(f[cfCol], li, "conv_factor");
            if (cf is null) cf = rowCf;
            else if (cf.Value != rowCf) throw new FormatException($"Fee schedule CSV line {li + 1}: conversion factor {rowCf} differs from {cf}.");
            if (qpCol >= 0 && qpCol < f.Count && !string.IsNullOrWhiteSpace(f[qpCol]) && qpConversionFactor is null) qp = Positive(f[qpCol], li, "qp_conv_factor");
            rvus[code] = rvu;
        }
        if (cf is null) throw new FormatException("Fee schedule CSV has no rows.");
        return new FeeSchedule(year, cf.Value, qp, rvus);
    }

    // A zero or negative RVU or factor prices the code at or below nothing, and the close then finds no priced code.
    private static decimal Positive(string s, int line, string column)
    {
        var d = Number(s, line, column);
        if (d <= 0) throw new FormatException($"Fee schedule CSV line {line + 1}, column {column}: {d.ToString(CultureInfo.InvariantCulture)} must be greater than zero.");
        return d;
    }

    private static decimal NotNegative(string s, int line, string column)
    {
        var d = Number(s, line, column);
        if (d < 0) throw new FormatException($"Fee schedule CSV line {line + 1}, column {column}: {d.ToString(CultureInfo.InvariantCulture)} must not be negative.");
        return d;
    }

    private static decimal Number(string s, int line, string column) =>
        decimal.TryParse(s.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw new FormatException($"Fee schedule CSV line {line + 1}, column {column}: '{s}' is not a number.");

    private static List<string> SplitCsv(string line)
    {
        var result = new List<string>();
        var sb = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                    else quoted = false;
                }
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { result.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        result.Add(sb.ToString());
        return result;
    }
}

/// <summary>Fee schedules loaded per year (data, never constants: R-FEE-1).</summary>
public sealed class FeeSchedules
{
    private readonly Dictionary<int, FeeSchedule> _byYear;

    public FeeSchedules(IEnumerable<FeeSchedule> schedules)
    {
        _byYear = new Dictionary<int, FeeSchedule>();
        foreach (var s in schedules) _byYear[s.Year] = s;
    }

    public static readonly FeeSchedules Empty = new([]);

    public FeeSchedule? ForYear(int year) => _byYear.TryGetValue(year, out var s) ? s : null;
}

/// <summary>Per-code monthly unit caps (R-CODE-6). Codes without an entry are uncapped.</summary>
public sealed class MueTable
{
    private readonly Dictionary<string, int> _caps;

    private readonly int[] _known;

    public MueTable(IReadOnlyDictionary<string, int> caps)
    {
        _caps = new Dictionary<string, int>(caps, StringComparer.OrdinalIgnoreCase);
        _known = new int[KnownCodes.Names.Length];
        for (var i = 0; i < _known.Length; i++) _known[i] = _caps.TryGetValue(KnownCodes.Names[i], out var c) ? c : -1;
    }

    /// <summary>Cap of an engine code, -1 when uncapped.</summary>
    internal int Known(KnownCode code) => _known[(int)code];

    /// <summary>Medicare defaults: 99439 = 2; 99489, 99437, 99425, 99427 uncapped.</summary>
    public static readonly MueTable MedicareDefault = new(new Dictionary<string, int> { ["99439"] = 2 });

    /// <summary>Cap for a code, or null when uncapped.</summary>
    public int? CapFor(string code) => _caps.TryGetValue(code, out var c) ? c : null;
}
