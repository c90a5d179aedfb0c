using CcmPlatform.Medications.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Medications.Tests;

/// <summary>docs/roles.md is the contract: every mapped route is listed there, with exactly the roles its policy admits.</summary>
public sealed class RoleMatrixTests(ServiceFactory<Program, MedicationsDbContext> factory) : IClassFixture<ServiceFactory<Program, MedicationsDbContext>>
{
    [Fact]
    public async Task GivenEveryMappedRoute_WhenComparedWithDocsRoles_ThenEachIsListedWithTheSameRoles()
    {
        var disagreements = await RoleMatrix.DisagreementsAsync(factory.Services, "/api/medications");

        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
    }
}
