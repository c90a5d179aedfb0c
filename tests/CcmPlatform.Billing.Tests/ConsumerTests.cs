using CcmPlatform.Billing.Data;
using CcmPlatform.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Tests;

public sealed class ConsumerTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    private static readonly DateTime March10 = new(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);

    private async Task<int> LedgerMinutesAfterSentinelAsync(BillingSeed seed)
    {
        // A sentinel entry published after the duplicates: once it and the original are in, the duplicates have had their turn.
        await seed.Bus.Publish(seed.Entry(March10.AddDays(1), 5));
        await seed.WaitForEntriesAsync(2);
        await TestInfrastructure.Eventually(
            () => factory.WithDb(db => db.PatientMonths.AsNoTracking().SingleOrDefaultAsync(m => m.PatientId == seed.PatientId && m.Year == 2025 && m.Month == 3)),
            m => m is { Dirty: false, CountableMinutes: >= 25 }, TestInfrastructure.Convergence, "ledger projected");
        await Task.Delay(1000);
        return (await factory.WithDb(db => db.PatientMonths.AsNoTracking().SingleAsync(m => m.PatientId == seed.PatientId && m.Year == 2025 && m.Month == 3))).CountableMinutes;
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenSameMessageDeliveredTwice_WhenConsumed_ThenMinutesCountOnce()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        var entry = seed.Entry(March10, 20);
        var messageId = NewId.NextGuid();

        await seed.Bus.Publish(entry, ctx => ctx.MessageId = messageId);
        await seed.Bus.Publish(entry, ctx => ctx.MessageId = messageId);

        Assert.Equal(25, await LedgerMinutesAfterSentinelAsync(seed));
        Assert.Equal(1, await factory.WithDb(db => db.InboxMessages.CountAsync(m => m.MessageId == messageId)));
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenSameEntryUnderNewMessageId_WhenConsumed_ThenMinutesCountOnce()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        var entry = seed.Entry(March10, 20);

        await seed.Bus.Publish(entry);
        await seed.Bus.Publish(entry);

        Assert.Equal(25, await LedgerMinutesAfterSentinelAsync(seed));
        Assert.Equal(1, await factory.WithDb(db => db.TimeEntries.CountAsync(e => e.EntryId == entry.EntryId)));
    }

    [Fact]
    public async Task GivenFactsForAPatientMonth_WhenProjected_ThenLedgerUpdatedStagedInOutbox()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        await seed.Bus.Publish(seed.Entry(March10, 20));
        await TestInfrastructure.Eventually(
            () => factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType.Contains("LedgerUpdated") && m.Payload.Contains(seed.PatientId.ToString()))),
            n => n > 0, TestInfrastructure.Convergence, "LedgerUpdated staged");
    }
}
