using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CcmPlatform.TestSupport;

/// <summary>
/// What every service's routes owe their callers: docs/roles.md is the contract (every mapped route
/// listed, with exactly the roles its policy admits), and every operation is described in OpenAPI.
/// Each service test project derives one class from this with its own host.
/// </summary>
public abstract class RouteContractTests(string prefix)
{
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
        var missing = Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .Where(e => e.Metadata.GetMetadata<IEndpointSummaryMetadata>() is null)
            .Select(e => e.DisplayName).ToList();

        Assert.True(missing.Count == 0, "No summary: " + string.Join(", ", missing));
    }
}
