using System.Net;
using CcmPlatform.Billing.Data;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Billing.Tests;

/// <summary>The request examples in /docs are meant to be pasted: sent with real ids, the service accepts each.</summary>
public sealed class OpenApiExampleTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    [Fact]
    public async Task GivenAKnownPatient_WhenTheBilledElsewhereExampleIsPosted_ThenItIsRecorded()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        var body = await OpenApiDocuments.RequestExampleAsync(factory.Services, "POST", "/api/billing/patients/{patientId}/services-billed-elsewhere");

        var response = await seed.Billing().PostAsync($"/api/billing/patients/{seed.PatientId}/services-billed-elsewhere", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task GivenTheMueAndFeeScheduleExamples_WhenAnAdminPutsThem_ThenBothAreAccepted()
    {
        var admin = factory.ClientAs(Roles.Admin);
        var mue = await OpenApiDocuments.RequestExampleAsync(factory.Services, "PUT", "/api/billing/mue/{payer}");
        var csv = await OpenApiDocuments.RequestExampleAsync(factory.Services, "PUT", "/api/billing/fee-schedules/{year}");

        var mueResponse = await admin.PutAsync($"/api/billing/mue/example-payer-{Guid.NewGuid():N}", mue);
        var csvResponse = await admin.PutAsync("/api/billing/fee-schedules/2099", csv);

        Assert.Equal(HttpStatusCode.OK, mueResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
    }
}
