using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Billing.Data;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Tests;

public sealed class MonthCloseTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    private static readonly DateTime March10 = new(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);

    private async Task<BillingSeed> PatientWithMinutesAsync(params int[] minutes)
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        for (var i = 0; i < minutes.Length; i++) await seed.Bus.Publish(seed.Entry(March10.AddHours(i), minutes[i]));
        await seed.WaitForEntriesAsync(minutes.Length);
        return seed;
    }

    private static JsonElement OnlyOutcome(JsonElement close)
    {
        var outcome = Assert.Single(close.GetProperty("outcomes").EnumerateArray());
        return outcome;
    }

    private static Guid ClaimIdOf(JsonElement outcome)
    {
        Assert.True(outcome.GetProperty("kind").GetString() == "Claim", outcome.GetProperty("text").GetString() + "\n" + outcome.GetProperty("explanation").GetString());
        return outcome.GetProperty("claimId").GetGuid();
    }

    [Fact]
    [Trait("Rule", "R-ELIG-1")]
    [Trait("Rule", "R-ELIG-2")]
    public async Task GivenOneChronicConditionAndAnActiveNotChronicOne_WhenMonthClosed_ThenNotEligibleAndNoClaim()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        // Patients publishes the map's "not-chronic" text for an active acute finding (Synthea's cardiac arrest).
        await seed.Bus.Publish(new ConditionsChanged(seed.PracticeId, seed.PatientId,
        [
            new ConditionFact(Guid.NewGuid(), "44054006", "Diabetes", "E119", "ccw:21", true, new DateOnly(2010, 1, 1), null),
            new ConditionFact(Guid.NewGuid(), "410429000", "Cardiac Arrest", "I469", "not-chronic", true, new DateOnly(2012, 1, 1), null),
        ], DateTime.UtcNow));
        await TestInfrastructure.Eventually(
            () => factory.WithDb(db => db.Patients.AsNoTracking().SingleAsync(p => p.PatientId == seed.PatientId)),
            p => p.Conditions.Contains("E119", StringComparison.Ordinal), TestInfrastructure.Convergence, "conditions replaced");
        await seed.Bus.Publish(seed.Entry(March10, 25));
        await seed.WaitForEntriesAsync(1);

        var outcome = OnlyOutcome(await BillingSeed.PostJsonAsync(seed.Billing(), seed.MonthPath("2025-03") + "/close"));

        Assert.Equal("NotBillable", outcome.GetProperty("kind").GetString());
        Assert.Contains("NOT_ELIGIBLE", outcome.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    [Trait("Rule", "R-ELIG-1")]
    [Trait("Rule", "R-ELIG-2")]
    public async Task GivenTwoConditionsEachInTwoCcwGroups_WhenMonthClosed_ThenTheyCountAsTwoGroupsAndBill()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        // The map gives Synthea's diabetic renal disease and microalbuminuria both CCW 16 and CCW 21 ("ccw:16|ccw:21").
        await seed.Bus.Publish(new ConditionsChanged(seed.PracticeId, seed.PatientId,
        [
            new ConditionFact(Guid.NewGuid(), "127013003", "Diabetic renal disease", "E1121", "ccw:16|ccw:21", true, new DateOnly(2010, 1, 1), null),
            new ConditionFact(Guid.NewGuid(), "90781000119102", "Microalbuminuria due to type 2 diabetes mellitus", "E1129", "ccw:16|ccw:21", true, new DateOnly(2012, 1, 1), null),
        ], DateTime.UtcNow));
        await TestInfrastructure.Eventually(
            () => factory.WithDb(db => db.Patients.AsNoTracking().SingleAsync(p => p.PatientId == seed.PatientId)),
            p => p.Conditions.Contains("E1121", StringComparison.Ordinal), TestInfrastructure.Convergence, "conditions replaced");
        await seed.Bus.Publish(seed.Entry(March10, 25));
        await seed.WaitForEntriesAsync(1);

        var outcome = OnlyOutcome(await BillingSeed.PostJsonAsync(seed.Billing(), seed.MonthPath("2025-03") + "/close"));

        Assert.Equal("Claim", outcome.GetProperty("kind").GetString());
    }

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    [Trait("Rule", "R-FEE-1")]
    [Trait("Rule", "R-CLOSE-1")]
    public async Task GivenStaff20MinutesFromEvents_WhenMonthClosed_Then99490ClaimOf6049Cents()
    {
        var seed = await PatientWithMinutesAsync(20);
        var billing = seed.Billing();

        var close = await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close");

        var outcome = OnlyOutcome(close);
        Assert.Equal("Claim", outcome.GetProperty("kind").GetString());
        Assert.Equal(1, close.GetProperty("claims").GetInt32());
        Assert.Equal(6049, close.GetProperty("totalCents").GetInt64());
        var claims = await BillingSeed.JsonAsync(await billing.GetAsync(seed.MonthPath("2025-03") + "/claims"));
        var claim = Assert.Single(claims.EnumerateArray());
        var line = Assert.Single(claim.GetProperty("lines").EnumerateArray());
        Assert.Equal("99490", line.GetProperty("code").GetString());
        Assert.Equal(1, line.GetProperty("units").GetInt32());
        Assert.Equal(6049, line.GetProperty("amountCents").GetInt64());
        Assert.Equal(1210, claim.GetProperty("coinsuranceCents").GetInt64());
        Assert.Equal("2025-03-31", claim.GetProperty("dateOfService").GetString());
        Assert.Equal(BillingSeed.NpiB, claim.GetProperty("practitionerNpi").GetString());
        Assert.Equal("1EG4TE5MK73", claim.GetProperty("mbi").GetString());
        Assert.Equal("Ada Lovelace", claim.GetProperty("patientName").GetString());
        Assert.Contains("E11.9", claim.GetProperty("diagnoses").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("R-CODE-4", claim.GetProperty("ruleIds").EnumerateArray().Select(d => d.GetString()));

        var ledgers = await BillingSeed.JsonAsync(await billing.GetAsync(seed.MonthPath("2025-03") + "/ledgers"));
        var ledger = Assert.Single(ledgers.EnumerateArray());
        Assert.Equal(20, ledger.GetProperty("countableMinutes").GetInt32());
        Assert.Equal(6049, ledger.GetProperty("bestPaymentCents").GetInt64());
        Assert.Equal(20, ledger.GetProperty("minutesToNextPaymentStep").GetInt32());
        Assert.Single(ledger.GetProperty("facts").GetProperty("consents").EnumerateArray());
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-2")]
    public async Task GivenClosedMonth_WhenClosedAgain_ThenSameClaimId()
    {
        var seed = await PatientWithMinutesAsync(25);
        var billing = seed.Billing();

        var first = OnlyOutcome(await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close"));
        var second = OnlyOutcome(await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close"));

        Assert.Equal(ClaimIdOf(first), ClaimIdOf(second));
        Assert.Equal(1, await factory.WithDb(db => db.Claims.CountAsync(c => c.PatientId == seed.PatientId)));
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-2")]
    [Trait("Rule", "R-EXCL-2")]
    public async Task GivenTwoClosesAtOnce_WhenBothFinish_ThenOneClaim()
    {
        var seed = await PatientWithMinutesAsync(25);
        var a = seed.Billing();
        var b = seed.Billing();

        var results = await Task.WhenAll(
            BillingSeed.PostJsonAsync(a, seed.MonthPath("2025-03") + "/close"),
            BillingSeed.PostJsonAsync(b, seed.MonthPath("2025-03") + "/close"));

        Assert.Equal(ClaimIdOf(OnlyOutcome(results[0])), ClaimIdOf(OnlyOutcome(results[1])));
        Assert.Equal(results[0].GetProperty("closeId").GetGuid(), results[1].GetProperty("closeId").GetGuid());
        Assert.Equal(1, await factory.WithDb(db => db.Claims.CountAsync(c => c.PatientId == seed.PatientId)));
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-2")]
    public async Task GivenLateEntryAfterClose_WhenReclosed_ThenFirstClaimVoidedAndReplaced()
    {
        // §8 case 17: 20 minutes closed, then a late 25-minute entry.
        var seed = await PatientWithMinutesAsync(20);
        var billing = seed.Billing();
        var first = ClaimIdOf(OnlyOutcome(await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close")));

        await seed.Bus.Publish(seed.Entry(March10.AddDays(5), 25));
        await TestInfrastructure.Eventually(
            async () => Assert.Single((await BillingSeed.JsonAsync(await billing.GetAsync(seed.MonthPath("2025-03") + "/outcomes"))).EnumerateArray()).GetProperty("needsReclose").GetBoolean(),
            needs => needs, TestInfrastructure.Convergence, "month marked needs re-close");

        var reclose = OnlyOutcome(await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close"));

        var replacement = ClaimIdOf(reclose);
        Assert.NotEqual(first, replacement);
        Assert.False(reclose.GetProperty("needsReclose").GetBoolean());
        var claims = await factory.WithDb(db => db.Claims.Include(c => c.Lines).Where(c => c.PatientId == seed.PatientId).ToListAsync());
        Assert.Equal(2, claims.Count);
        Assert.NotNull(claims.Single(c => c.ClaimId == first).VoidedAt);
        var live = claims.Single(c => c.VoidedAt is null);
        Assert.Equal(first, live.ReplacesClaimId);
        Assert.Equal(["99490x1", "99439x1"], live.Lines.OrderBy(l => l.Seq).Select(l => $"{l.Code}x{l.Units}"));
        Assert.Equal(10642, live.TotalCents);
        var outbox = await factory.WithDb(db => db.OutboxMessages.Select(m => m.MessageType).ToListAsync());
        Assert.Contains(outbox, t => t.Contains("ClaimVoided"));
    }

    [Fact]
    [Trait("Rule", "R-EXCL-1")]
    [Trait("Rule", "R-HOLD-1")]
    public async Task GivenAnotherPractitioners99490BilledElsewhere_WhenClosed_ThenHeldOtherPractitioner()
    {
        // §8 case 15.
        var seed = await PatientWithMinutesAsync(25);
        var billing = seed.Billing();
        var recorded = await billing.PostAsJsonAsync($"/api/billing/patients/{seed.PatientId}/services-billed-elsewhere",
            new { code = "99490", practitionerNpi = BillingSeed.NpiA, dateOfService = "2025-03-31" });
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);

        var outcome = OnlyOutcome(await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close"));

        Assert.Equal("Hold", outcome.GetProperty("kind").GetString());
        Assert.Equal("EXCL_OTHER_PRACTITIONER", outcome.GetProperty("reasons")[0].GetString());
        Assert.Contains("99490", outcome.GetProperty("text").GetString());
        Assert.Equal(0, await factory.WithDb(db => db.Claims.CountAsync(c => c.PatientId == seed.PatientId)));
    }

    [Fact]
    public async Task GivenClaimWithTwoLines_WhenCsvExported_ThenHeaderAndOneRowPerLine()
    {
        var seed = await PatientWithMinutesAsync(25, 20);
        var billing = seed.Billing();
        await BillingSeed.PostJsonAsync(billing, seed.MonthPath("2025-03") + "/close");

        var csv = await billing.GetStringAsync(seed.MonthPath("2025-03") + "/claims.csv");

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("claim_id,patient_id,patient_name,mbi,billing_npi,date_of_service,code,units,unit_price,amount,diagnoses", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.EndsWith(",99490,1,60.49,60.49,E11.9", lines[1]);
        Assert.EndsWith(",99439,1,45.93,45.93,E11.9", lines[2]);
        Assert.Contains($"{seed.PatientId},Ada Lovelace,1EG4TE5MK73,{BillingSeed.NpiB},2025-03-31", lines[1]);
    }

    [Fact]
    [Trait("Rule", "R-TIME-1")]
    public async Task GivenBadMonth_WhenClosed_Then400NamingMonth()
    {
        var practiceId = Guid.NewGuid();
        var billing = factory.ClientAs(Roles.Billing, practiceId: practiceId);
        var response = await billing.PostAsJsonAsync($"/api/billing/practices/{practiceId}/months/2025-13/close", new { });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-TIME-1", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("month", out _));
    }

    [Fact]
    [Trait("Rule", "R-CLOSE-1")]
    public async Task GivenAMonthThatHasNotEnded_WhenClosed_Then422AndNothingIsStored()
    {
        var seed = await PatientWithMinutesAsync(20);
        var billing = seed.Billing();
        var month = DateTime.UtcNow.AddMonths(1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

        var response = await billing.PostAsJsonAsync(seed.MonthPath(month) + "/close", new { });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-CLOSE-1", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("month", out _));
        var outcomes = await BillingSeed.JsonAsync(await billing.GetAsync(seed.MonthPath(month) + "/outcomes"));
        Assert.Empty(outcomes.EnumerateArray());
    }

    [Fact]
    public async Task GivenCareCoordinator_WhenClosing_ThenForbidden()
    {
        var client = factory.ClientAs(Roles.CareCoordinator);
        var response = await client.PostAsJsonAsync($"/api/billing/practices/{Guid.NewGuid()}/months/2025-03/close", new { });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    [Trait("Rule", "R-ELIG-4")]
    public async Task GivenBadNpi_WhenBilledElsewhereRecorded_Then400NamingPractitionerNpi()
    {
        var billing = factory.ClientAs(Roles.Billing, practiceId: Guid.NewGuid());
        var response = await billing.PostAsJsonAsync($"/api/billing/patients/{Guid.NewGuid()}/services-billed-elsewhere",
            new { code = "99490", practitionerNpi = "1234567890", dateOfService = "2025-03-31" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-ELIG-4", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("practitionerNpi", out _));
    }
}
