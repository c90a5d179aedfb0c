using CcmPlatform.CarePlans.Data;
using CcmPlatform.TestSupport;

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
}
