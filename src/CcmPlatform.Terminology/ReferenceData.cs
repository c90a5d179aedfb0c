using System.IO.Compression;
using System.Reflection;
using System.Text;

namespace CcmPlatform.Terminology;

/// <summary>Reads the CSV tables embedded in this assembly.</summary>
internal static class ReferenceData
{
    public const string Icd10CmFull = "CcmPlatform.Terminology.icd10cm_fy2022_full.csv.gz";
    public const string CcwConditions = "CcmPlatform.Terminology.ccw-chronic-conditions.csv";
    public const string SnomedMap = "CcmPlatform.Terminology.snomed-icd10-map.csv";

    public static TextReader Open(string logicalName)
    {
        var stream = typeof(ReferenceData).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"Embedded resource '{logicalName}' is missing from {typeof(ReferenceData).Assembly.GetName().Name}.");
        if (logicalName.EndsWith(".gz", StringComparison.Ordinal))
            stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream, Encoding.UTF8);
    }

    /// <summary>Rows as field arrays, header included as the first row.</summary>
    public static IEnumerable<string[]> ReadCsv(string logicalName)
    {
        using var reader = Open(logicalName);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            yield return ParseLine(line, reader);
        }
    }

    // RFC 4180 subset: quoted fields with doubled quotes; a quoted field may span lines.
    private static string[] ParseLine(string line, TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var i = 0;
        while (true)
        {
            if (i >= line.Length)
            {
                if (inQuotes && reader.ReadLine() is { } next)
                {
                    field.Append('\n');
                    line = next;
                    i = 0;
                    continue;
                }
                fields.Add(field.ToString());
                return fields.ToArray();
            }
            var c = line[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    inQuotes = false;
                }
                else field.Append(c);
            }
            else if (c == '"') inQuotes = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
            i++;
        }
    }

    public static Dictionary<string, int> HeaderIndex(string[] header)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++) index[header[i].Trim()] = i;
        return index;
    }
}
