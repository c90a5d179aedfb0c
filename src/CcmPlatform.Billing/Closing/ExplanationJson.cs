using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CcmPlatform.Billing.Rules;

namespace CcmPlatform.Billing.Closing;

/// <summary>
/// The explanation as the APIs show it (<see cref="Options"/>) and as the close stores it (<see cref="Serialize"/>): the stored
/// form leaves out what can be derived again (the winner's why, the minutes per track, nulls), so that a claim row fits two to a
/// SQLite page instead of one. Readers always go through <see cref="Parse"/> and <see cref="Text"/>, which give the shown form.
/// </summary>
public static class ExplanationJson
{
    public static readonly JsonSerializerOptions Options = Create(stored: false);

    private static readonly JsonSerializerOptions Stored = Create(stored: true);

    private static JsonSerializerOptions Create(bool stored)
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        o.Converters.Add(new JsonStringEnumConverter());
        o.Converters.Add(new ServiceMonthConverter());
        if (stored)
        {
            o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutDerived } };
        }
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    private static void LeaveOutDerived(JsonTypeInfo info)
    {
        if (info.Type != typeof(Explanation)) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
            if (info.Properties[i].Name is "winnerWhy" or "countableMinutes") info.Properties.RemoveAt(i);
    }

    /// <summary>The stored form.</summary>
    public static string Serialize(Explanation e) => JsonSerializer.Serialize(e, Stored);

    /// <summary>Reads either form: rows written before the stored form carry the shown form.</summary>
    public static Explanation Deserialize(string json) => JsonSerializer.Deserialize<Explanation>(json, Stored) ?? throw new JsonException("explanation");

    /// <summary>
    /// The explanation's text, rendered from the stored JSON when it is shown (issue 3: "rendered to text only when shown").
    /// The close stores only the JSON; rows written before that keep their stored text, which wins.
    /// </summary>
    public static string Text(string storedText, string json) =>
        storedText.Length > 0 || json.Length == 0 ? storedText : Deserialize(json).ToText();

    /// <summary>The shown form of a stored explanation.</summary>
    public static JsonElement? Parse(string json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.SerializeToElement(Deserialize(json), Options);

    // ServiceMonth exposes Next/Previous, which would recurse forever; on the wire it is "yyyy-MM".
    private sealed class ServiceMonthConverter : JsonConverter<ServiceMonth>
    {
        public override ServiceMonth Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var s = reader.GetString() ?? throw new JsonException("month");
            return new ServiceMonth(int.Parse(s[..4], System.Globalization.CultureInfo.InvariantCulture), int.Parse(s[5..7], System.Globalization.CultureInfo.InvariantCulture));
        }

        public override void Write(Utf8JsonWriter writer, ServiceMonth value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
