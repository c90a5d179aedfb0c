using CcmPlatform.Infrastructure.Messaging;
using CcmPlatform.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static CcmPlatform.Infrastructure.Tests.MessagingTestHost;

namespace CcmPlatform.Infrastructure.Tests;

/// <summary>Outbox, relay and inbox against a real RabbitMQ and real SQLite files.</summary>
public sealed class OutboxAndInboxTests
{
    public OutboxAndInboxTests()
    {
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "ccm-tests"));
    }

    [Fact]
    public async Task GivenAChangeThatRaisesAnEvent_WhenSaved_ThenTheOutboxRowCommitsInTheSameTransaction()
    {
        using var host = Build(TempDatabase(), Broker, Prefix(), withConsumer: false);
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LedgerDb>();
        var entry = Entry();

        db.Minutes.Add(new MinutesRow { EntryId = entry.EntryId, PatientId = entry.PatientId, Minutes = 20 });
        db.Outbox(entry, DateTime.UtcNow);
        await db.SaveChangesAsync();

        Assert.Equal(1, await db.OutboxMessages.CountAsync(m => m.MessageType == typeof(CcmPlatform.Contracts.TimeEntryRecorded).FullName));
    }

    [Fact]
    public async Task GivenAChangeThatFails_WhenSaved_ThenNoOutboxRowIsLeftBehind()
    {
        using var host = Build(TempDatabase(), Broker, Prefix(), withConsumer: false);
        var entry = Entry();
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LedgerDb>();
            db.Minutes.Add(new MinutesRow { EntryId = entry.EntryId, PatientId = entry.PatientId, Minutes = 20 });
            await db.SaveChangesAsync();
        }

        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LedgerDb>();
            db.Minutes.Add(new MinutesRow { EntryId = entry.EntryId, PatientId = entry.PatientId, Minutes = 5 });
            db.Outbox(entry, DateTime.UtcNow);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        using var check = host.Services.CreateScope();
        Assert.Equal(0, await check.ServiceProvider.GetRequiredService<LedgerDb>().OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task GivenAnEventInTheOutbox_WhenTheRelayRuns_ThenItIsConsumedOnceAndMarkedSent()
    {
        using var host = Build(TempDatabase(), Broker, Prefix());
        await host.StartAsync();
        var entry = Entry(minutes: 25);
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<LedgerDb>();
            db.Outbox(entry, DateTime.UtcNow);
            await db.SaveChangesAsync();
        }

        await TestInfrastructure.Eventually(() => MinutesFor(host, entry.PatientId), m => m == 25, what: "relayed entry consumed");
        using var check = host.Services.CreateScope();
        var row = await check.ServiceProvider.GetRequiredService<LedgerDb>().OutboxMessages.SingleAsync();
        Assert.NotNull(row.SentAt);
        await host.StopAsync();
    }

    [Fact]
    public async Task GivenTheSameMessageDeliveredTwice_WhenConsumed_ThenItCountsOnce()
    {
        using var host = Build(TempDatabase(), Broker, Prefix());
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBus>();
        var entry = Entry(minutes: 20);
        var messageId = Guid.NewGuid();

        await bus.Publish(entry, ctx => ctx.MessageId = messageId);
        await bus.Publish(entry, ctx => ctx.MessageId = messageId);
        var marker = Entry(patientId: entry.PatientId, minutes: 1);
        await bus.Publish(marker);

        await TestInfrastructure.Eventually(() => MinutesFor(host, entry.PatientId), m => m >= 21, what: "both deliveries and the marker consumed");
        await Task.Delay(300);
        Assert.Equal(21, await MinutesFor(host, entry.PatientId));
        await host.StopAsync();
    }

    [Fact]
    public async Task GivenTheSameTimeEntryUnderANewMessageId_WhenConsumed_ThenItCountsOnce()
    {
        using var host = Build(TempDatabase(), Broker, Prefix());
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IBus>();
        var entry = Entry(minutes: 20);

        await bus.Publish(entry, ctx => ctx.MessageId = Guid.NewGuid());
        await bus.Publish(entry, ctx => ctx.MessageId = Guid.NewGuid());
        await bus.Publish(Entry(patientId: entry.PatientId, minutes: 1));

        await TestInfrastructure.Eventually(() => MinutesFor(host, entry.PatientId), m => m >= 21, what: "entries consumed");
        await Task.Delay(300);
        Assert.Equal(21, await MinutesFor(host, entry.PatientId));
        await host.StopAsync();
    }

    [Fact]
    public async Task GivenTheBrokerIsUnreachable_WhenAnEntryIsSaved_ThenItIsKeptAndDeliveredOnceTheBrokerIsBack()
    {
        var database = TempDatabase();
        var prefix = Prefix();
        var entry = Entry(minutes: 30);

        // A broker address nothing listens on: the relay must keep the row, not lose it.
        using (var down = Build(database, "amqp://guest:guest@127.0.0.1:1", prefix, withConsumer: false))
        {
            using (var scope = down.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<LedgerDb>();
                db.Outbox(entry, DateTime.UtcNow);
                await db.SaveChangesAsync();
            }

            var relay = down.Services.GetServices<IHostedService>().OfType<OutboxRelay<LedgerDb>>().Single();
            var sent = await relay.DrainOnceAsync(CancellationToken.None);
            Assert.Equal(0, sent);
            using var check = down.Services.CreateScope();
            var row = await check.ServiceProvider.GetRequiredService<LedgerDb>().OutboxMessages.SingleAsync();
            Assert.Null(row.SentAt);
            Assert.True(row.Attempts >= 1);
        }

        // The process restarts against a reachable broker: the relay picks the row up once its backoff expires.
        using var up = Build(database, Broker, prefix);
        await up.StartAsync();
        await TestInfrastructure.Eventually(() => MinutesFor(up, entry.PatientId), m => m == 30, TimeSpan.FromSeconds(60), "entry delivered after the broker returned");
        await up.StopAsync();
    }
}
