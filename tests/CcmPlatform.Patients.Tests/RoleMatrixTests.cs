using CcmPlatform.Patients.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Patients.Tests;

/// <summary>docs/roles.md is the contract: every mapped route is listed there, with exactly the roles its policy admits.</summary>
public sealed class RoleMatrixTests(PatientsFactory factory) : IClassFixture<PatientsFactory>
{
    [Fact]
    public async Task GivenEveryMappedRoute_WhenComparedWithDocsRoles_ThenEachIsListedWithTheSameRoles()
    {
        var disagreements = await RoleMatrix.DisagreementsAsync(factory.Services, "/api/patients");

        Assert.True(disagreements.Count == 0, string.Join(Environment.NewLine, disagreements));
    }
}
