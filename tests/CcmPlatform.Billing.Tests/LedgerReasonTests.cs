using System.Text.Json;
using CcmPlatform.Billing.Data;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Tests;

/// <summary>LedgerUpdated tells the worklist why minutes do not count, with the engine's reason codes.</summary>
public sealed class LedgerReasonTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    [Fact]
    [Trait("Rule", "R-INIT-1")]
    public async Task GivenMinutesButNoInitiatingVisit_WhenTheLedgerIsProjected_ThenLedgerUpdatedCarriesNoInitiatingVisit()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync(seenBefore: false);

        await seed.Bus.Publish(seed.Entry(new DateTime(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc), 25));

        var payload = await TestInfrastructure.Eventually(
            () => factory.WithDb(db => db.OutboxMessages.AsNoTracking()
                .Where(m => m.MessageType.Contains("LedgerUpdated") && m.Payload.Contains(seed.PatientId.ToString()) && m.Payload.Contains("\"year\":2025") && m.Payload.Contains("\"month\":3,"))
                .Select(m => m.Payload).ToListAsync()),
            l => l.Any(p => p.Contains("NO_INITIATING_VISIT")),
            TestInfrastructure.Convergence,
            "LedgerUpdated with reasons");
        var reasons = payload.Select(p => JsonDocument.Parse(p).RootElement).Last(e => e.GetRawText().Contains("NO_INITIATING_VISIT")).GetProperty("reasons")
            .EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();
        Assert.Contains("NO_INITIATING_VISIT", reasons);
        Assert.Contains("MINUTES_BEFORE_INITIATING_VISIT", reasons);
        Assert.DoesNotContain("NO_CONSENT", reasons);
    }
}
