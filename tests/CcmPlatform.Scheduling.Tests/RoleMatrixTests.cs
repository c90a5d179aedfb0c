using CcmPlatform.Scheduling.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Scheduling.Tests;

public sealed class RoleMatrixTests(ServiceFactory<Program, SchedulingDbContext> factory) : RouteContractTests("/api/scheduling"), IClassFixture<ServiceFactory<Program, SchedulingDbContext>>
{
    protected override IServiceProvider Services => factory.Services;
}
