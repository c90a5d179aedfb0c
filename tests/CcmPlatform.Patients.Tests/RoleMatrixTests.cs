using CcmPlatform.TestSupport;

namespace CcmPlatform.Patients.Tests;

public sealed class RoleMatrixTests(PatientsFactory factory) : RouteContractTests("/api/patients"), IClassFixture<PatientsFactory>
{
    protected override IServiceProvider Services => factory.Services;
}
