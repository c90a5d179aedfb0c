using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CcmPlatform.Billing.Data;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Tests;

public sealed class FeeScheduleTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public async Task GivenNoScheduleStored_WhenListed_ThenEmbedded2025IsLoaded()
    {
        var list = await BillingSeed.JsonAsync(await factory.ClientAs(Roles.Billing, practiceId: Guid.NewGuid()).GetAsync("/api/billing/fee-schedules"));
        var y2025 = list.EnumerateArray().Single(s => s.GetProperty("year").GetInt32() == 2025);
        Assert.Equal(32.3465m, y2025.GetProperty("conversionFactor").GetDecimal());
        Assert.Contains(y2025.GetProperty("codes").EnumerateArray(), c => c.GetProperty("code").GetString() == "99490" && c.GetProperty("unitPriceCents").GetInt64() == 6049);
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public async Task GivenBadCsv_WhenUploaded_Then400NamingTheLine()
    {
        var csv = "hcpcs,nonfac_total_rvu,conv_factor\n99490,1.87,33.4009\n99439,abc,33.4009\n";
        var response = await factory.ClientAs(Roles.Admin).PutAsync("/api/billing/fee-schedules/2026", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-FEE-1", problem.GetProperty("rule").GetString());
        Assert.Contains("line 3", problem.GetProperty("detail").GetString());
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public async Task GivenValidCsv_WhenUploadedByAdmin_ThenStoredAndBillingRoleForbidden()
    {
        var csv = "hcpcs,nonfac_total_rvu,conv_factor,qp_conv_factor\n99490,1.87,33.4009,33.5675\n";
        var forbidden = await factory.ClientAs(Roles.Billing, practiceId: Guid.NewGuid()).PutAsync("/api/billing/fee-schedules/2027", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var ok = await BillingSeed.JsonAsync(await factory.ClientAs(Roles.Admin).PutAsync("/api/billing/fee-schedules/2027", new StringContent(csv, Encoding.UTF8, "text/csv")));
        Assert.Equal(33.5675m, ok.GetProperty("qpConversionFactor").GetDecimal());
        Assert.Equal(6246, ok.GetProperty("codes")[0].GetProperty("unitPriceCents").GetInt64());
    }

    [Fact]
    [Trait("Rule", "R-CODE-5")]
    public async Task GivenALedgerPricedWithoutASchedule_WhenThatYearsScheduleIsLoaded_ThenTheLedgerIsRepriced()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync(since: new DateTime(2023, 1, 2, 15, 0, 0, DateTimeKind.Utc));
        await seed.Bus.Publish(seed.Entry(new DateTime(2023, 3, 10, 14, 0, 0, DateTimeKind.Utc), 20));
        Task<PatientMonthRecord?> March() => factory.WithDb(db => db.PatientMonths.AsNoTracking().SingleOrDefaultAsync(m => m.PatientId == seed.PatientId && m.Year == 2023 && m.Month == 3));
        await TestInfrastructure.Eventually(March, m => m is { Dirty: false, CountableMinutes: 20 }, TestInfrastructure.Convergence, "ledger projected without a 2023 schedule");
        Assert.Equal(0, (await March())!.BestPaymentCents);
        // The projector re-checks a row once, three seconds after projecting it; past that only a new mark reprices it.
        await Task.Delay(TimeSpan.FromSeconds(5));

        var csv = "hcpcs,nonfac_total_rvu,conv_factor\n99490,1.87,32.3465\n99439,1.42,32.3465\n";
        await BillingSeed.JsonAsync(await factory.ClientAs(Roles.Admin).PutAsync("/api/billing/fee-schedules/2023", new StringContent(csv, Encoding.UTF8, "text/csv")));

        // The worklist shows this ledger: it must not keep saying FEE_SCHEDULE_MISSING until some other fact arrives.
        var repriced = await TestInfrastructure.Eventually(March, m => m is { Dirty: false, BestPaymentCents: > 0 }, TestInfrastructure.Convergence, "ledger repriced");
        Assert.Equal(6049, repriced!.BestPaymentCents);
    }

    [Fact]
    [Trait("Rule", "R-CODE-6")]
    public async Task GivenALedgerPastAPayersCap_WhenTheCapIsLowered_ThenTheLedgerIsRepricedWithTheNewCap()
    {
        var payer = $"Payer {Guid.NewGuid():N}";
        var seed = new BillingSeed(factory);
        await seed.PatientAsync(payer: payer);
        await seed.Bus.Publish(seed.Entry(new DateTime(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc), 65));
        Task<PatientMonthRecord?> March() => factory.WithDb(db => db.PatientMonths.AsNoTracking().SingleOrDefaultAsync(m => m.PatientId == seed.PatientId && m.Year == 2025 && m.Month == 3));
        // 65 minutes: 99490 + 99439 × 2 under Medicare's default cap of two 99439 units.
        await TestInfrastructure.Eventually(March, m => m is { Dirty: false, CountableMinutes: 65, BestPaymentCents: 6049 + 2 * 4593 }, TestInfrastructure.Convergence, "ledger projected");
        // The projector re-checks a row once, three seconds after projecting it; past that only a new mark reprices it.
        await Task.Delay(TimeSpan.FromSeconds(5));

        await BillingSeed.JsonAsync(await factory.ClientAs(Roles.Admin).PutAsJsonAsync($"/api/billing/mue/{payer}", new { caps = new Dictionary<string, int?> { ["99439"] = 1 } }));

        await TestInfrastructure.Eventually(March, m => m is { Dirty: false, BestPaymentCents: 6049 + 4593 }, TestInfrastructure.Convergence, "ledger repriced with one 99439 unit");
    }

    [Theory]
    [Trait("Rule", "R-FEE-1")]
    [InlineData(2091, "99490,-1.87,33.4009", "nonfac_total_rvu")]
    [InlineData(2092, "99490,1.87,0", "conv_factor")]
    public async Task GivenANonPositiveRvuOrConversionFactor_WhenUploaded_Then400NamingRowAndColumnAndNothingStored(int year, string row, string column)
    {
        var csv = "hcpcs,nonfac_total_rvu,conv_factor\n99439,1.42,33.4009\n" + row + "\n";

        var response = await factory.ClientAs(Roles.Admin).PutAsync($"/api/billing/fee-schedules/{year}", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-FEE-1", problem.GetProperty("rule").GetString());
        Assert.Contains($"line 3, column {column}", problem.GetProperty("detail").GetString());
        Assert.False(await factory.WithDb(db => db.FeeSchedules.AnyAsync(f => f.Year == year)));
    }

    [Fact]
    [Trait("Rule", "R-FEE-1")]
    public async Task GivenANegativeRvuScheduleStoredBeforeTheCheck_WhenSchedulesAreListed_ThenThatYearIsLeftOutAndTheRestStillLoad()
    {
        await factory.WithDb(db =>
        {
            db.FeeSchedules.Add(new FeeScheduleRecord { Year = 2094, Csv = "hcpcs,nonfac_total_rvu,conv_factor\n99490,-1.87,33.4009\n", ConversionFactor = 33.4009m, LoadedAt = DateTime.UtcNow });
            return db.SaveChangesAsync();
        });

        var list = await BillingSeed.JsonAsync(await factory.ClientAs(Roles.Billing, practiceId: Guid.NewGuid()).GetAsync("/api/billing/fee-schedules"));

        var years = list.EnumerateArray().Select(s => s.GetProperty("year").GetInt32()).ToList();
        Assert.DoesNotContain(2094, years);
        Assert.Contains(2025, years);
    }

    [Fact]
    [Trait("Rule", "R-CODE-6")]
    public async Task GivenAnMueCapForACodeThePlatformDoesNotBill_WhenPut_Then400NamingTheCodeAndNothingStored()
    {
        var payer = "Payer-" + Guid.NewGuid().ToString("N")[..8];
        var caps = new Dictionary<string, int?> { ["99439"] = 3, ["XYZ"] = 1 };

        var response = await factory.ClientAs(Roles.Admin).PutAsJsonAsync($"/api/billing/mue/{payer}", new { caps });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-CODE-6", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("caps.XYZ", out _));
        Assert.Equal(0, await factory.WithDb(db => db.MueCaps.CountAsync(c => c.Payer == payer)));
        var ok = await BillingSeed.JsonAsync(await factory.ClientAs(Roles.Admin).PutAsJsonAsync($"/api/billing/mue/{payer}", new { caps = new Dictionary<string, int?> { ["99439"] = 3 } }));
        Assert.Equal(3, ok.GetProperty("caps").GetProperty("99439").GetInt32());
    }

    [Fact]
    public async Task GivenMoreThanOneHundredMueCaps_WhenPut_Then400TooManyItemsAndNothingStored()
    {
        var payer = "Payer-" + Guid.NewGuid().ToString("N")[..8];
        var caps = Enumerable.Range(0, 101).ToDictionary(i => $"X{i:D4}", i => (int?)1);

        var response = await factory.ClientAs("admin").PutAsJsonAsync($"/api/billing/mue/{payer}", new { caps });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("TOO_MANY_ITEMS", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("caps", out _));
        Assert.Equal(0, await factory.WithDb(db => db.MueCaps.CountAsync(c => c.Payer == payer)));
    }
}
