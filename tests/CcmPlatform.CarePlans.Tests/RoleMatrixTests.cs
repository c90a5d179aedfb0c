using CcmPlatform.CarePlans.Data;
using CcmPlatform.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace CcmPlatform.CarePlans.Tests;

/// <summary>docs/roles.md is the contract: every mapped route is listed there, with exactly the roles its policy admits.</summary>
public sealed class RoleMatrixTests(ServiceFactory<Program, CarePlansDbContext> factory) : IClassFixture<ServiceFactory<Program, CarePlansDbContext>>
{
    [Fact]
    public async Task GivenEveryMappedRoute_WhenComparedWithDocsRoles_ThenEachIsListedWithTheSameRoles()
    {
        var disagreements = await RoleMatrix.DisagreementsAsync(factory.Services, "/api/careplans");

        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
    }

    [Fact]
    public void GivenEveryMappedRoute_WhenTheOpenApiMetadataIsRead_ThenEachHasASummary()
    {
        var missing = factory.Services.GetServices<Microsoft.AspNetCore.Routing.EndpointDataSource>()
            .SelectMany(s => s.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IEndpointSummaryMetadata>() is null)
            .Select(e => e.DisplayName).ToList();

        Assert.True(missing.Count == 0, "No summary: " + string.Join(", ", missing));
    }
}
