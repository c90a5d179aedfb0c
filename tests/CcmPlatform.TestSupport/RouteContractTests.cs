using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CcmPlatform.TestSupport;

/// <summary>
/// What every service's routes owe their callers: docs/roles.md is the contract (every mapped route
/// listed, with exactly the roles its policy admits), and every operation is described in OpenAPI
/// well enough for a front end to call it from the docs alone: a summary, an example body, and the
/// problems it can answer with. Each service test project derives one class from this with its own host.
/// </summary>
public abstract class RouteContractTests(string prefix)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    protected abstract IServiceProvider Services { get; }

    [Fact]
    public async Task GivenEveryMappedRoute_WhenComparedWithDocsRoles_ThenEachIsListedWithTheSameRoles()
    {
        var disagreements = await RoleMatrix.DisagreementsAsync(Services, prefix);

        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
    }

    [Fact]
    public void GivenEveryMappedRoute_WhenTheOpenApiMetadataIsRead_ThenEachHasASummary()
    {
        var missing = ApiEndpoints()
            .Where(e => e.Metadata.GetMetadata<IEndpointSummaryMetadata>() is null)
            .Select(e => e.DisplayName).ToList();

        Assert.True(missing.Count == 0, "No summary: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task GivenTheServiceOpenApiDocument_WhenEveryOperationIsRead_ThenEachHasASummaryAndBodiesHaveExamples()
    {
        var problems = new List<string>();
        foreach (var (name, operation) in await OperationsAsync())
        {
            if (string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()))
            {
                problems.Add($"{name}: no summary");
            }

            foreach (var (mediaType, media) in operation["requestBody"]?["content"]?.AsObject() ?? [])
            {
                if (media?["example"] is null)
                {
                    problems.Add($"{name}: no {mediaType} request example");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task GivenTheServiceOpenApiDocument_WhenAnAuthorizedOperationIsRead_ThenItDocuments401And403AsProblemDetails()
    {
        var anonymous = ApiEndpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m.ToUpperInvariant()} {RoleMatrix.Normalise(e.RoutePattern.RawText ?? "")}"))
            .ToHashSet();
        var problems = new List<string>();
        foreach (var (name, operation) in await OperationsAsync())
        {
            if (anonymous.Contains(name))
            {
                continue;
            }

            foreach (var status in new[] { "401", "403" })
            {
                var response = operation["responses"]?[status];
                if (response?["content"]?["application/problem+json"] is null)
                {
                    problems.Add($"{name}: no {status} problem response");
                }
                else if (string.IsNullOrWhiteSpace(response["description"]?.GetValue<string>()))
                {
                    problems.Add($"{name}: {status} has no description");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task GivenTheServiceOpenApiDocument_WhenAnOperationTakesInput_ThenItDocuments400AsProblemDetails()
    {
        var problems = new List<string>();
        foreach (var (name, operation) in await OperationsAsync())
        {
            var takesInput = operation["requestBody"] is not null || operation["parameters"] is JsonArray { Count: > 0 };
            if (takesInput && operation["responses"]?["400"]?["content"]?["application/problem+json"] is null)
            {
                problems.Add($"{name}: takes input but documents no 400 problem");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private IEnumerable<RouteEndpoint> ApiEndpoints() => Services.GetServices<EndpointDataSource>()
        .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true);

    /// <summary>The service's operations under its prefix as served at /openapi/v1.json, keyed "METHOD /path".</summary>
    private async Task<List<(string Name, JsonObject Operation)>> OperationsAsync()
    {
        var json = await OpenApiDocuments.ReadAsync(Services);
        var operations = new List<(string, JsonObject)>();
        foreach (var (path, item) in json["paths"]?.AsObject() ?? [])
        {
            if (!path.StartsWith(prefix, StringComparison.Ordinal) || item is not JsonObject pathItem)
            {
                continue;
            }

            foreach (var method in Methods)
            {
                if (pathItem[method] is JsonObject operation)
                {
                    operations.Add(($"{method.ToUpperInvariant()} {path}", operation));
                }
            }
        }

        Assert.NotEmpty(operations);
        return operations;
    }
}
