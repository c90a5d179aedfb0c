using CcmPlatform.CarePlans.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.CarePlans.Tests;

public sealed class RoleMatrixTests(ServiceFactory<Program, CarePlansDbContext> factory) : RouteContractTests("/api/careplans"), IClassFixture<ServiceFactory<Program, CarePlansDbContext>>
{
    protected override IServiceProvider Services => factory.Services;
}
