using CcmPlatform.Scheduling.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Scheduling.Tests;

/// <summary>docs/roles.md is the contract: every mapped route is listed there, with exactly the roles its policy admits.</summary>
public sealed class RoleMatrixTests(ServiceFactory<Program, SchedulingDbContext> factory) : IClassFixture<ServiceFactory<Program, SchedulingDbContext>>
{
    [Fact]
    public async Task GivenEveryMappedRoute_WhenComparedWithDocsRoles_ThenEachIsListedWithTheSameRoles()
    {
        var disagreements = await RoleMatrix.DisagreementsAsync(factory.Services, "/api/scheduling");

        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
    }
}
