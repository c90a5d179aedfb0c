using System.Collections;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace CcmPlatform.Infrastructure.Http;

/// <summary>
/// Size limits on every request body of the five services, in one place. A note, reason or list without a
/// bound lets one client fill the database, the outbox and every read model that copies it; a body without a
/// bound ties up a worker while it streams. Refusals are problems naming the field, before anything is written.
/// </summary>
public static class RequestLimits
{
    /// <summary>Free text: notes, reasons, discrepancies, plan sections, descriptions.</summary>
    public const int MaxTextLength = 2_000;

    /// <summary>Names, titles, codes, methods, statuses, and each string inside a list.</summary>
    public const int MaxShortTextLength = 200;

    /// <summary>Goals, interventions, problems, conditions, medications, changes, map entries.</summary>
    public const int MaxItems = 100;

    /// <summary>JSON bodies (the largest, a full care plan at its limits, stays well under this).</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>FHIR bundle import: the shipped Synthea sample's largest bundle is about 1.5 MB.</summary>
    public const long MaxImportBodyBytes = 16 * 1024 * 1024;

    public const string FieldTooLongRule = "FIELD_TOO_LONG";
    public const string TooManyItemsRule = "TOO_MANY_ITEMS";
    public const string BodyTooLargeRule = "BODY_TOO_LARGE";

    private const int MaxDepth = 6;

    // Short by nature; everything else that is a string gets MaxTextLength.
    private static readonly HashSet<string> ShortFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "name", "displayName", "title", "display", "target", "method", "kind", "status", "facility", "payer", "mbi",
        "timeZone", "credential", "npi", "practitionerNpi", "practitionerType", "activityType", "code", "rxNormCode", "icd10",
    };

    /// <summary>Checks every <c>…Request</c> argument of the group's endpoints before the handler runs.</summary>
    public static RouteGroupBuilder RequireRequestLimits(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(async (context, next) =>
        {
            foreach (var argument in context.Arguments)
            {
                if (argument is not null && IsRequestBody(argument.GetType()) && Violation(argument) is { } v)
                {
                    return ApiProblems.Create(StatusCodes.Status400BadRequest, "The request is malformed.", v.Field, v.Rule, v.Detail);
                }
            }

            return await next(context);
        });
        return group;
    }

    /// <summary>Raises the body limit of one route above <see cref="MaxBodyBytes"/> (FHIR import).</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, long maxBytes)
        where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new BodyLimit(maxBytes));

    /// <summary>
    /// Caps the body of every request at the route's limit: a declared Content-Length over it answers 413 at once;
    /// a chunked body is cut off by the server while it is read, which the problem handler turns into the same 413.
    /// </summary>
    public static WebApplication UseRequestBodyLimits(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxBodyBytes;
            if (http.Request.ContentLength > limit)
            {
                await TooLarge(limit).ExecuteAsync(http);
                return;
            }

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            await next(http);
        });
        return app;
    }

    public static IResult TooLarge(long limit) => ApiProblems.Create(
        StatusCodes.Status413PayloadTooLarge, "The request body is too large.", "body", BodyTooLargeRule,
        $"The request body may be at most {limit / 1024} KiB on this route.");

    /// <summary>The first field over its limit, as the JSON path a client sent (goals[3].description).</summary>
    public static (string Field, string Rule, string Detail)? Violation(object body) => Walk(body, "", 0);

    private static bool IsRequestBody(Type type)
        => type.Namespace?.StartsWith("CcmPlatform.", StringComparison.Ordinal) == true && type.Name.EndsWith("Request", StringComparison.Ordinal);

    private static bool IsOurs(Type type) => type.Namespace?.StartsWith("CcmPlatform.", StringComparison.Ordinal) == true && !type.IsEnum;

    private static (string, string, string)? Walk(object value, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetValue(value) is not { } child)
            {
                continue;
            }

            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var field = path.Length == 0 ? name : $"{path}.{name}";
            if (Check(child, field, ShortFields.Contains(property.Name) ? MaxShortTextLength : MaxTextLength, depth) is { } v)
            {
                return v;
            }
        }

        return null;
    }

    private static (string, string, string)? Check(object child, string field, int textLimit, int depth)
    {
        switch (child)
        {
            case string s:
                return s.Length > textLimit
                    ? (field, FieldTooLongRule, $"{field} is {s.Length} characters; at most {textLimit} are allowed.")
                    : null;
            case IDictionary map:
                if (map.Count > MaxItems)
                {
                    return (field, TooManyItemsRule, $"{field} has {map.Count} entries; at most {MaxItems} are allowed.");
                }

                foreach (DictionaryEntry entry in map)
                {
                    var key = $"{field}.{entry.Key}";
                    var v = Check(entry.Key, key, MaxShortTextLength, depth + 1) ?? (entry.Value is null ? null : Check(entry.Value, key, MaxShortTextLength, depth + 1));
                    if (v is not null)
                    {
                        return v;
                    }
                }

                return null;
            case IEnumerable items:
                var objects = JsonBodies.ElementOf(items.GetType()) is { } element && IsOurs(element) && element.IsClass;
                var i = 0;
                foreach (var item in items)
                {
                    if (i == MaxItems)
                    {
                        var count = items.Cast<object?>().Count();
                        return (field, TooManyItemsRule, $"{field} has {count} items; at most {MaxItems} are allowed.");
                    }

                    // A null goal, intervention or change binds, and every handler reads its members: refuse it here
                    // rather than answer 500. Null strings in a list stay the handler's to name (a code, a condition).
                    if (item is null && objects)
                    {
                        return ($"{field}[{i}]", ProblemDetailsSetup.MalformedRule, $"{field}[{i}] is null; send a JSON object.");
                    }

                    if (item is not null && Check(item, $"{field}[{i}]", MaxShortTextLength, depth + 1) is { } v)
                    {
                        return v;
                    }

                    i++;
                }

                return null;
            default:
                return IsOurs(child.GetType()) && child.GetType().IsClass ? Walk(child, field, depth + 1) : null;
        }
    }

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
