using System.Net;
using System.Net.Http.Json;
using CcmPlatform.Billing.Data;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Billing.Tests;

/// <summary>Every 201 of Billing names a Location the caller can read back, within its practice only.</summary>
public sealed class LocationTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    [Fact]
    public async Task GivenARecordedServiceBilledElsewhere_WhenItsLocationIsFollowed_ThenTheSameRecordAnswers_AndOtherPracticesGet404()
    {
        var a = new BillingSeed(factory);
        await a.PatientAsync();
        var b = new BillingSeed(factory);
        await b.PatientAsync();
        var billing = a.Billing();

        var location = await CreatedLocations.AssertFollowsAsync(billing, await billing.PostAsJsonAsync(
            $"/api/billing/patients/{a.PatientId}/services-billed-elsewhere", new { code = "99495", practitionerNpi = BillingSeed.NpiA, dateOfService = "2025-03-04" }));

        Assert.Equal(HttpStatusCode.OK, (await factory.ClientAs(Roles.CareCoordinator, a.NurseId).GetAsync(location)).StatusCode);
        await CreatedLocations.AssertNotFoundAsync(b.Billing(), location, PracticeScope.Rule);
        var recordId = location.ToString().Split('/')[^1];
        await CreatedLocations.AssertNotFoundAsync(billing, new Uri($"/api/billing/patients/{Guid.NewGuid()}/services-billed-elsewhere/{recordId}", UriKind.Relative), "NOT_FOUND");
        await CreatedLocations.AssertNotFoundAsync(billing, new Uri($"/api/billing/patients/{a.PatientId}/services-billed-elsewhere/{Guid.NewGuid()}", UriKind.Relative), "NOT_FOUND");
    }

    [Fact]
    public async Task GivenAnEarlyRelease_WhenItsLocationIsFollowed_ThenTheSameReleaseAnswers_AndOtherPracticesGet404()
    {
        var a = new BillingSeed(factory);
        await a.PatientAsync();
        await a.Bus.Publish(a.Entry(new DateTime(2025, 3, 7, 14, 0, 0, DateTimeKind.Utc), 22));
        await a.WaitForEntriesAsync(1);
        var b = new BillingSeed(factory);
        await b.PatientAsync();
        var billing = a.Billing();
        await CreatedLocations.AssertNotFoundAsync(billing, new Uri($"/api/billing/patients/{a.PatientId}/months/2025-03/release", UriKind.Relative), "NOT_FOUND");

        var location = await CreatedLocations.AssertFollowsAsync(billing, await billing.PostAsJsonAsync($"/api/billing/patients/{a.PatientId}/months/2025-03/release", new { }));

        await CreatedLocations.AssertNotFoundAsync(b.Billing(), location, PracticeScope.Rule);
        await CreatedLocations.AssertNotFoundAsync(billing, new Uri($"/api/billing/patients/{a.PatientId}/months/2025-04/release", UriKind.Relative), "NOT_FOUND");
    }
}
