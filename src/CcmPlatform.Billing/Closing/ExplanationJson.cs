using System.Text.Json;
using System.Text.Json.Serialization;
using CcmPlatform.Billing.Rules;

namespace CcmPlatform.Billing.Closing;

public static class ExplanationJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        o.Converters.Add(new JsonStringEnumConverter());
        o.Converters.Add(new ServiceMonthConverter());
        return o;
    }

    public static string Serialize(Explanation e) => JsonSerializer.Serialize(e, Options);

    public static JsonElement? Parse(string json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<JsonElement>(json);

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
