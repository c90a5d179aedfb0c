using System.Text.Json.Nodes;

namespace CcmPlatform.Gateway;

/// <summary>
/// Merges the services' OpenAPI documents into one. Schema names are prefixed with the service
/// (PatientsConsentRequest, BillingClaim…) so two services' types of the same name stay distinct.
/// </summary>
public sealed class OpenApiAggregator(IHttpClientFactory clients, ILogger<OpenApiAggregator> logger, TimeProvider clock)
{
    public const string ClientName = "openapi";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private (DateTimeOffset At, string Json)? _cached;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } c && clock.GetUtcNow() - c.At < CacheFor)
        {
            return c.Json;
        }

        var merged = new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "CcmPlatform API",
                ["version"] = "v1",
                ["description"] = "Every route of the CCM platform, through the gateway. Authenticate with a bearer token (development: ./ccm token --role care-coordinator --as <rosterId>).",
            },
            ["paths"] = new JsonObject(),
            ["components"] = new JsonObject
            {
                ["schemas"] = new JsonObject(),
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" },
                },
            },
            ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
            ["tags"] = new JsonArray(),
        };
        var missing = new List<string>();
        var client = clients.CreateClient(ClientName);
        foreach (var service in GatewayRoutes.Services)
        {
            try
            {
                var json = await client.GetStringAsync($"http://{service}/openapi/v1.json", cancellationToken);
                Merge(merged, JsonNode.Parse(json)!.AsObject(), Prefix(service));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                logger.LogWarning("OpenAPI of {Service} unavailable: {Error}", service, ex.Message);
                missing.Add(service);
            }
        }

        if (missing.Count > 0)
        {
            merged["info"]!["x-missing-services"] = new JsonArray(missing.Select(m => (JsonNode)JsonValue.Create(m)!).ToArray());
        }

        var result = merged.ToJsonString();
        if (missing.Count == 0)
        {
            _cached = (clock.GetUtcNow(), result);
        }

        return result;
    }

    private static string Prefix(string service) => service switch
    {
        "careplans" => "CarePlans",
        _ => char.ToUpperInvariant(service[0]) + service[1..],
    };

    private static void Merge(JsonObject target, JsonObject source, string prefix)
    {
        RenameRefs(source, prefix);
        var paths = target["paths"]!.AsObject();
        if (source["paths"] is JsonObject sourcePaths)
        {
            foreach (var (path, item) in sourcePaths.ToList())
            {
                sourcePaths.Remove(path);
                paths[path] = item;
            }
        }

        var schemas = target["components"]!["schemas"]!.AsObject();
        if (source["components"]?["schemas"] is JsonObject sourceSchemas)
        {
            foreach (var (name, schema) in sourceSchemas.ToList())
            {
                sourceSchemas.Remove(name);
                schemas[prefix + name] = schema;
            }
        }

        if (source["tags"] is JsonArray tags)
        {
            foreach (var tag in tags.ToList())
            {
                tags.Remove(tag);
                target["tags"]!.AsArray().Add(tag);
            }
        }
    }

    private static void RenameRefs(JsonNode? node, string prefix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (key == "$ref" && value is JsonValue v && v.TryGetValue<string>(out var reference) && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                    {
                        obj["$ref"] = "#/components/schemas/" + prefix + reference["#/components/schemas/".Length..];
                    }
                    else
                    {
                        RenameRefs(value, prefix);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RenameRefs(item, prefix);
                }

                break;
        }
    }
}

public static class OpenApiEndpoints
{
    public static WebApplication MapAggregatedOpenApi(this WebApplication app)
    {
        app.MapGet("/openapi/v1.json", async (OpenApiAggregator aggregator, CancellationToken ct)
            => Results.Content(await aggregator.GetAsync(ct), "application/json")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/", () => Results.Redirect("/docs")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
