using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace CcmPlatform.Infrastructure.Http;

/// <summary>
/// How HTTP bodies of the five services bind: enums by exactly one member name, and, when a body does not
/// bind, a message that says what JSON the field takes rather than which .NET type failed. Only HTTP bodies
/// use these options; the bus keeps its own serializer.
/// </summary>
public static class JsonBodies
{
    public static IServiceCollection AddCcmJsonBodies(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new EnumNameConverter()));
        return services;
    }

    /// <summary>
    /// With a converter of our own the schema exporter no longer knows enums travel as names, so the schema
    /// is restated here: a string, one of the member names.
    /// </summary>
    public static OpenApiOptions AddEnumNameSchemas(this OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        var type = context.JsonTypeInfo.Type;
        var enumType = Nullable.GetUnderlyingType(type) ?? type;
        if (enumType.IsEnum)
        {
            var nullable = type != enumType;
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = null;
            schema.Enum = [.. Enum.GetNames(enumType).Select(n => (JsonNode?)JsonValue.Create(n)).Concat(nullable ? [null] : [])!];
        }

        return Task.CompletedTask;
    });

    /// <summary>
    /// What a client should send at <paramref name="path"/> (a System.Text.Json path such as $.goals[0].targetDate)
    /// of a <paramref name="bodyType"/> body, in JSON terms; null when the path does not lead to a known member.
    /// </summary>
    public static string? ExpectedAt(Type? bodyType, string? path)
    {
        if (bodyType is null || string.IsNullOrEmpty(path) || !path.StartsWith('$'))
        {
            return null;
        }

        var type = bodyType;
        foreach (var segment in Segments(path[1..]))
        {
            type = segment is null ? ElementOf(type) : MemberOf(type, segment);
            if (type is null)
            {
                return null;
            }
        }

        return Describe(type);
    }

    /// <summary>A .NET type as the JSON a client writes for it.</summary>
    public static string Describe(Type type)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        var t = nullable ?? type;
        var text = t switch
        {
            _ when t.IsEnum => $"exactly one of the names {string.Join(", ", Enum.GetNames(t))} (a JSON string)",
            _ when t == typeof(string) => "a string",
            _ when t == typeof(bool) => "true or false",
            _ when t == typeof(Guid) => "a string UUID (e.g. 0195d2a4-6b1e-7c3d-9f00-1a2b3c4d5e6f)",
            _ when t == typeof(DateTime) || t == typeof(DateTimeOffset) => "a string date-time in ISO 8601 (e.g. 2025-03-10T14:00:00Z)",
            _ when t == typeof(DateOnly) => "a string date yyyy-MM-dd (e.g. 2025-03-10)",
            _ when t == typeof(TimeOnly) => "a string time HH:mm (e.g. 14:00)",
            _ when t == typeof(TimeSpan) => "a string duration hh:mm:ss",
            _ when t == typeof(byte) || t == typeof(short) || t == typeof(int) || t == typeof(long) => $"a whole number from {MinOf(t)} to {MaxOf(t)}",
            _ when t == typeof(decimal) || t == typeof(double) || t == typeof(float) => "a number",
            _ when typeof(IDictionary).IsAssignableFrom(t) || IsGeneric(t, typeof(IReadOnlyDictionary<,>)) || IsGeneric(t, typeof(IDictionary<,>)) => "a JSON object",
            _ when ElementOf(t) is not null => "a JSON array",
            _ => "a JSON object",
        };
        return nullable is null ? text : text + " or null";
    }

    private static object MinOf(Type t) => t.GetField("MinValue")!.GetValue(null)!;

    private static object MaxOf(Type t) => t.GetField("MaxValue")!.GetValue(null)!;

    private static bool IsGeneric(Type t, Type definition)
        => (t.IsGenericType && t.GetGenericTypeDefinition() == definition) || t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);

    /// <summary>Property names (from .name or ['name']) and null for each [index].</summary>
    private static IEnumerable<string?> Segments(string path)
    {
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                yield return path[(i + 1)..end];
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    yield break;
                }

                yield return path[(i + 2)..end];
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0)
                {
                    yield break;
                }

                yield return null;
                i = end + 1;
            }
            else
            {
                yield break;
            }
        }
    }

    private static Type? MemberOf(Type type, string name)
    {
        if (IsGeneric(type, typeof(IDictionary<,>)) || IsGeneric(type, typeof(IReadOnlyDictionary<,>)))
        {
            return type.IsGenericType && type.GetGenericArguments().Length == 2 ? type.GetGenericArguments()[1] : null;
        }

        // Web defaults bind property names case-insensitively; so does this lookup.
        return type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
    }

    /// <summary>The element type of an array or generic collection; null for anything else, strings included.</summary>
    internal static Type? ElementOf(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable
            ? enumerable.GetGenericArguments()[0]
            : null;
    }
}

/// <summary>
/// Enums as exactly one member name (matched as written, else ignoring case). JsonStringEnumConverter also
/// reads flag-style lists ("Ccm,Pcm"), which bound to a value no client meant; numbers and numeric strings
/// are refused too, so an unknown value never reaches a handler or the database.
/// </summary>
public sealed class EnumNameConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
        => (JsonConverter)Activator.CreateInstance(typeof(NameConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class NameConverter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly string[] Names = Enum.GetNames<T>();

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.String ? Parse(reader.GetString()) : throw Refused();

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(value.ToString());

        private static T Parse(string? text)
        {
            var name = Array.Find(Names, n => string.Equals(n, text, StringComparison.Ordinal))
                ?? Array.Find(Names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
            return name is null ? throw Refused() : Enum.Parse<T>(name);
        }

        private static JsonException Refused() => new($"Expected exactly one of the names {string.Join(", ", Names)} (a JSON string).");
    }
}
