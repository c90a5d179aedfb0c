using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace CcmPlatform.TestSupport;

/// <summary>A service's OpenAPI document as served at /openapi/v1.json, and its request examples as HTTP content.</summary>
public static class OpenApiDocuments
{
    public static async Task<JsonNode> ReadAsync(IServiceProvider services)
    {
        var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1").GetOpenApiDocumentAsync();
        return JsonNode.Parse(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1))!;
    }

    /// <summary>The documented example body of an operation, as a front end would paste it from /docs.</summary>
    /// <param name="path">The OpenAPI path, e.g. /api/billing/mue/{payer}.</param>
    public static async Task<HttpContent> RequestExampleAsync(IServiceProvider services, string method, string path)
    {
        var operation = (await ReadAsync(services))["paths"]?[path]?[method.ToLowerInvariant()]
            ?? throw new InvalidOperationException($"{method} {path} is not in the OpenAPI document.");
        var (mediaType, media) = operation["requestBody"]!["content"]!.AsObject().First();
        var example = media?["example"] ?? throw new InvalidOperationException($"{method} {path} has no {mediaType} example.");
        var text = example is JsonValue value && value.TryGetValue<string>(out var raw) ? raw : example.ToJsonString();
        return new StringContent(text, Encoding.UTF8, mediaType);
    }
}
