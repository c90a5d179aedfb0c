using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Billing.Data;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Tests;

/// <summary>R-CLOSE-3 through the service: events, the release API, then the month-end close.</summary>
public sealed class EarlyReleaseTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    // 14:00 UTC is 10:00 in New York in early March (EST).
    private static DateTime March(int day) => new(2025, 3, day, 14, 0, 0, DateTimeKind.Utc);

    private async Task<BillingSeed> PatientAsync(params (int Day, int Minutes)[] entries)
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        foreach (var (day, minutes) in entries) await seed.Bus.Publish(seed.Entry(March(day), minutes));
        await seed.WaitForEntriesAsync(entries.Length);
        return seed;
    }

    private static string ReleasePath(BillingSeed seed) => $"/api/billing/patients/{seed.PatientId}/months/2025-03/release";

    private static JsonElement OnlyOutcome(JsonElement close) => Assert.Single(close.GetProperty("outcomes").EnumerateArray());

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    [Trait("Rule", "R-CODE-5")]
    public async Task GivenTwentyMinutesReachedOnThe7th_WhenReleasedThenClosed_ThenDatedThe7thAndKeptByTheClose()
    {
        var seed = await PatientAsync((3, 10), (7, 12));
        var billing = seed.Billing();

        var response = await billing.PostAsJsonAsync(ReleasePath(seed), new { });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var released = await BillingSeed.JsonAsync(response);
        Assert.Equal("2025-03-07", released.GetProperty("releaseDate").GetString());
        var claim = released.GetProperty("claim");
        Assert.Equal("2025-03-07", claim.GetProperty("dateOfService").GetString());
        Assert.Equal("99490", Assert.Single(claim.GetProperty("lines").EnumerateArray()).GetProperty("code").GetString());
        Assert.Contains("R-CLOSE-3", claim.GetProperty("ruleIds").EnumerateArray().Select(r => r.GetString()));
        var claimId = claim.GetProperty("claimId").GetGuid();

        var again = await billing.PostAsJsonAsync(ReleasePath(seed), new { });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(claimId, (await BillingSeed.JsonAsync(again)).GetProperty("claim").GetProperty("claimId").GetGuid());

        var outcome = OnlyOutcome(await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close"));
        Assert.Equal(claimId, outcome.GetProperty("claimId").GetGuid());
        var claims = await factory.WithDb(db => db.Claims.Where(c => c.PatientId == seed.PatientId).ToListAsync());
        var only = Assert.Single(claims);
        Assert.Null(only.VoidedAt);
        Assert.Equal(new DateOnly(2025, 3, 7), only.DateOfService);
        var outbox = await factory.WithDb(db => db.OutboxMessages.Select(m => m.MessageType).ToListAsync());
        Assert.Contains(outbox, t => t.Contains("ClaimCreated"));
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    [Trait("Rule", "R-CLOSE-2")]
    public async Task GivenAReleasedClaimAndMoreMinutesLater_WhenTheMonthCloses_ThenItIsVoidedAndReplacedAtMonthEnd()
    {
        var seed = await PatientAsync((3, 20));
        var billing = seed.Billing();
        var early = (await BillingSeed.JsonAsync(await billing.PostAsJsonAsync(ReleasePath(seed), new { }))).GetProperty("claim").GetProperty("claimId").GetGuid();

        await seed.Bus.Publish(seed.Entry(March(20), 25));
        await seed.WaitForEntriesAsync(2);
        var outcome = OnlyOutcome(await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close"));

        Assert.Equal("Claim", outcome.GetProperty("kind").GetString());
        var claims = await factory.WithDb(db => db.Claims.Include(c => c.Lines).Where(c => c.PatientId == seed.PatientId).ToListAsync());
        Assert.Equal(2, claims.Count);
        var voided = claims.Single(c => c.ClaimId == early);
        Assert.NotNull(voided.VoidedAt);
        Assert.Contains("R-CLOSE-3", voided.VoidReason);
        var live = claims.Single(c => c.VoidedAt is null);
        Assert.Equal(early, live.ReplacesClaimId);
        Assert.Equal(new DateOnly(2025, 3, 31), live.DateOfService);
        Assert.Equal(["99490x1", "99439x1"], live.Lines.OrderBy(l => l.Seq).Select(l => $"{l.Code}x{l.Units}"));
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    [Trait("Rule", "R-EXCL-3")]
    public async Task GivenAReleasedClaimAndHospiceOversightRecordedLater_WhenTheMonthCloses_ThenItIsVoidedAndHeld()
    {
        var seed = await PatientAsync((3, 25));
        var billing = seed.Billing();
        var early = (await BillingSeed.JsonAsync(await billing.PostAsJsonAsync(ReleasePath(seed), new { }))).GetProperty("claim").GetProperty("claimId").GetGuid();
        var recorded = await billing.PostAsJsonAsync($"/api/billing/patients/{seed.PatientId}/services-billed-elsewhere",
            new { code = "G0182", practitionerNpi = BillingSeed.NpiA, dateOfService = "2025-03-15" });
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);

        var outcome = OnlyOutcome(await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close"));

        Assert.Equal("Hold", outcome.GetProperty("kind").GetString());
        Assert.Equal("EXCL_HOSPICE_HH_ESRD", outcome.GetProperty("reasons")[0].GetString());
        var claim = await factory.WithDb(db => db.Claims.SingleAsync(c => c.ClaimId == early));
        Assert.NotNull(claim.VoidedAt);
        Assert.Null(claim.LiveKey);
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    public async Task GivenOnlyTenMinutes_WhenReleased_Then422NamingTheShortfallAndNoClaim()
    {
        var seed = await PatientAsync((3, 10));
        var billing = seed.Billing();

        var response = await billing.PostAsJsonAsync(ReleasePath(seed), new { });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-CLOSE-3", problem.GetProperty("rule").GetString());
        Assert.Contains("10 of 20 minutes", problem.GetProperty("errors").GetProperty("month")[0].GetString());
        Assert.Equal(0, await factory.WithDb(db => db.Claims.CountAsync(c => c.PatientId == seed.PatientId)));
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-3")]
    [Trait("Rule", "R-EXCL-2")]
    public async Task GivenAMonthAlreadyClosedWithAClaim_WhenReleased_Then409()
    {
        var seed = await PatientAsync((3, 25));
        var billing = seed.Billing();
        await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close");

        var response = await billing.PostAsJsonAsync(ReleasePath(seed), new { });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(1, await factory.WithDb(db => db.Claims.CountAsync(c => c.PatientId == seed.PatientId)));
    }

    [Fact]
    public async Task GivenACareCoordinator_WhenReleasing_ThenForbidden()
    {
        var response = await factory.ClientAs(Roles.CareCoordinator).PostAsJsonAsync($"/api/billing/patients/{Guid.NewGuid()}/months/2025-03/release", new { });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
