using CcmPlatform.Medications.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Medications.Tests;

public sealed class RoleMatrixTests(ServiceFactory<Program, MedicationsDbContext> factory) : RouteContractTests("/api/medications"), IClassFixture<ServiceFactory<Program, MedicationsDbContext>>
{
    protected override IServiceProvider Services => factory.Services;
}
