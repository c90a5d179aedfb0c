using CcmPlatform.Billing.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Billing.Tests;

public sealed class RoleMatrixTests(ServiceFactory<Program, BillingDbContext> factory) : RouteContractTests("/api/billing"), IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    protected override IServiceProvider Services => factory.Services;
}
