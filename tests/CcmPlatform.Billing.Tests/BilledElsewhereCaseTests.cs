using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Billing.Data;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Tests;

/// <summary>§8 cases 18–23 through the service: contract events, the billed-elsewhere API, then the month close.</summary>
public sealed class BilledElsewhereCaseTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    private async Task<(BillingSeed Seed, HttpClient Billing)> PatientAsync(int year, int month, int minutes, DateTime? since = null)
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync(since);
        await seed.Bus.Publish(seed.Entry(new DateTime(year, month, 10, 16, 0, 0, DateTimeKind.Utc), minutes));
        await seed.WaitForEntriesAsync(1);
        return (seed, seed.Billing());
    }

    private static async Task RecordAsync(HttpClient billing, BillingSeed seed, string code, string npi, string date)
    {
        var response = await billing.PostAsJsonAsync($"/api/billing/patients/{seed.PatientId}/services-billed-elsewhere",
            new { code, practitionerNpi = npi, dateOfService = date });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<JsonElement> CloseAsync(HttpClient billing, BillingSeed seed, string month) =>
        Assert.Single((await BillingSeed.PostJsonAsync(billing, seed.MonthPath(month) + "/close")).GetProperty("outcomes").EnumerateArray());

    private static void AssertHeld(JsonElement outcome, params string[] reasons)
    {
        Assert.True(outcome.GetProperty("kind").GetString() == "Hold", outcome.GetProperty("text").GetString());
        Assert.Equal(reasons, outcome.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    [Trait("Rule", "R-EXCL-3")]
    [Trait("Rule", "R-HOLD-1")]
    public async Task Case18_GivenHospiceOversightG0182InSeptember_WhenStaff25Minutes_ThenHeld()
    {
        var (seed, billing) = await PatientAsync(2025, 9, 25);
        await RecordAsync(billing, seed, "G0182", BillingSeed.NpiA, "2025-09-12");
        AssertHeld(await CloseAsync(billing, seed, "2025-09"), "EXCL_HOSPICE_HH_ESRD");
    }

    [Fact]
    [Trait("Rule", "R-EXCL-3")]
    [Trait("Rule", "R-HOLD-1")]
    public async Task Case19_GivenEsrd90960InOctober_WhenStaff30Minutes_ThenHeld()
    {
        var (seed, billing) = await PatientAsync(2025, 10, 30);
        await RecordAsync(billing, seed, "90960", BillingSeed.NpiA, "2025-10-05");
        var outcome = await CloseAsync(billing, seed, "2025-10");
        AssertHeld(outcome, "EXCL_HOSPICE_HH_ESRD");
        Assert.Contains("90960", outcome.GetProperty("text").GetString());
    }

    [Fact]
    [Trait("Rule", "R-EXCL-5")]
    [Trait("Rule", "R-TIME-5")]
    public async Task Case20_GivenTcm99495InMarch2025_WhenStaff25Minutes_Then99490()
    {
        var (seed, billing) = await PatientAsync(2025, 3, 25);
        await RecordAsync(billing, seed, "99495", BillingSeed.NpiB, "2025-03-04");
        var outcome = await CloseAsync(billing, seed, "2025-03");
        Assert.True(outcome.GetProperty("kind").GetString() == "Claim", outcome.GetProperty("text").GetString());
        var claim = await factory.WithDb(db => db.Claims.Include(c => c.Lines).SingleAsync(c => c.PatientId == seed.PatientId));
        Assert.Equal("99490", Assert.Single(claim.Lines).Code);
    }

    [Fact]
    [Trait("Rule", "R-EXCL-5")]
    [Trait("Rule", "R-HOLD-1")]
    [Trait("Rule", "R-CODE-5")]
    public async Task Case21_GivenTcm99495InMarch2019_WhenStaff25Minutes_ThenHeldTcmPre2020WithFeeScheduleMissing()
    {
        var (seed, billing) = await PatientAsync(2019, 3, 25, since: new DateTime(2018, 6, 1, 15, 0, 0, DateTimeKind.Utc));
        await RecordAsync(billing, seed, "99495", BillingSeed.NpiB, "2019-03-04");
        AssertHeld(await CloseAsync(billing, seed, "2019-03"), "EXCL_TCM_PRE_2020", "FEE_SCHEDULE_MISSING");
    }

    [Fact]
    [Trait("Rule", "R-EXCL-4")]
    [Trait("Rule", "R-HOLD-1")]
    public async Task Case22_GivenPcm99426BilledInMayBySamePractitioner_WhenCcmStaff25Minutes_ThenHeldProgramConflict()
    {
        var (seed, billing) = await PatientAsync(2025, 5, 25);
        await RecordAsync(billing, seed, "99426", BillingSeed.NpiB, "2025-05-20");
        AssertHeld(await CloseAsync(billing, seed, "2025-05"), "EXCL_PROGRAM_CONFLICT");
    }

    [Fact]
    [Trait("Rule", "R-EXCL-4")]
    [Trait("Rule", "R-APCM-1")]
    public async Task Case23_GivenApcmG0557BilledInAprilBySamePractitioner_WhenCcmStaff45Minutes_ThenHeldProgramConflict()
    {
        var (seed, billing) = await PatientAsync(2025, 4, 45);
        await RecordAsync(billing, seed, "G0557", BillingSeed.NpiB, "2025-04-30");
        AssertHeld(await CloseAsync(billing, seed, "2025-04"), "EXCL_PROGRAM_CONFLICT");
    }

    [Theory]
    [Trait("Rule", "R-EXCL-6")]
    [InlineData("99495")] [InlineData("99496")] [InlineData("G0181")] [InlineData("G0182")] [InlineData("90951")] [InlineData("90970")]
    [InlineData("99424")] [InlineData("99427")] [InlineData("G0556")] [InlineData("G0558")] [InlineData("99453")] [InlineData("99458")]
    [InlineData("99484")] [InlineData("99490")] [InlineData("99487")] [InlineData("99491")]
    public async Task GivenEachServiceFamilyThatMeetsCcm_WhenRecordedAsBilledElsewhere_ThenAccepted(string code)
    {
        var response = await factory.ClientAs(Roles.Billing, practiceId: Guid.NewGuid()).PostAsJsonAsync($"/api/billing/patients/{Guid.NewGuid()}/services-billed-elsewhere",
            new { code, practitionerNpi = BillingSeed.NpiA, dateOfService = "2025-03-04" });
        // Unknown patient → 404 proves the code itself passed validation (a bad code is 400 first).
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("90950")] [InlineData("90971")] [InlineData("99213")] [InlineData("G0183")]
    public async Task GivenACodeThatDoesNotMeetCcm_WhenRecordedAsBilledElsewhere_Then400NamingCode(string code)
    {
        var response = await factory.ClientAs(Roles.Billing, practiceId: Guid.NewGuid()).PostAsJsonAsync($"/api/billing/patients/{Guid.NewGuid()}/services-billed-elsewhere",
            new { code, practitionerNpi = BillingSeed.NpiA, dateOfService = "2025-03-04" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("code", out _));
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("2014-12-31")]
    public async Task GivenAServiceDatedBeforeTheCcmCodes_WhenRecordedAsBilledElsewhere_Then422NamingDateOfServiceAndNothingStored(string date)
    {
        // A G0181 typed 0025-03-10 instead of 2025-03-10 would otherwise be stored and hold no month: CCM would be billed beside it.
        var seed = new BillingSeed(factory);
        await seed.PatientAsync(null);
        var billing = seed.Billing();

        var response = await billing.PostAsJsonAsync($"/api/billing/patients/{seed.PatientId}/services-billed-elsewhere",
            new { code = "G0181", practitionerNpi = BillingSeed.NpiB, dateOfService = date });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("DATE_OUT_OF_RANGE", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("dateOfService", out _), problem.ToString());
        Assert.Equal(0, await factory.WithDb(db => db.BilledElsewhere.CountAsync(b => b.PatientId == seed.PatientId)));
        await RecordAsync(billing, seed, "G0181", BillingSeed.NpiB, "2015-01-01");
    }
}
