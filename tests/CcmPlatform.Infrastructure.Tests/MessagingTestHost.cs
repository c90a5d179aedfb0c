using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Messaging;
using CcmPlatform.Infrastructure.Persistence;
using CcmPlatform.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CcmPlatform.Infrastructure.Tests;

/// <summary>A tiny service: one table, the outbox/inbox, and a consumer that counts minutes per patient.</summary>
public abstract class LedgerDb(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<MinutesRow> Minutes => Set<MinutesRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<MinutesRow>().HasKey(x => x.EntryId);
    }
}

public sealed class SqliteLedgerDb(DbContextOptions<SqliteLedgerDb> options) : LedgerDb(options);

public sealed class SqlServerLedgerDb(DbContextOptions<SqlServerLedgerDb> options) : LedgerDb(options);

public sealed class MinutesRow
{
    public Guid EntryId { get; set; }

    public Guid PatientId { get; set; }

    public int Minutes { get; set; }
}

/// <summary>Counts each entry once: the inbox stops a redelivered MessageId, the EntryId key stops the same fact re-sent.</summary>
public sealed class CountMinutes(LedgerDb db, TimeProvider clock) : InboxConsumer<LedgerDb, TimeEntryRecorded>(db, clock)
{
    protected override async Task Handle(TimeEntryRecorded message, ConsumeContext<TimeEntryRecorded> context)
    {
        if (await Db.Minutes.AnyAsync(m => m.EntryId == message.EntryId))
        {
            return;
        }

        Db.Minutes.Add(new MinutesRow { EntryId = message.EntryId, PatientId = message.PatientId, Minutes = message.Minutes });
    }
}

public static class MessagingTestHost
{
    public static IHost Build(string databaseFile, string messaging, string queuePrefix, bool withConsumer = true)
    {
        TestInfrastructure.ResetMassTransitLogContext();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ledgerdb"] = $"Data Source={databaseFile}",
            ["ConnectionStrings:messaging"] = messaging,
            ["Messaging:QueuePrefix"] = queuePrefix,
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServiceDatabase<LedgerDb, SqliteLedgerDb, SqlServerLedgerDb>("ledgerdb");
        builder.AddServiceMessaging<LedgerDb>("ledger", bus =>
        {
            if (withConsumer)
            {
                bus.AddConsumer<CountMinutes>();
            }
        });
        var host = builder.Build();
        using var scope = host.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<LedgerDb>().Database.EnsureCreated();
        return host;
    }

    public static TimeEntryRecorded Entry(Guid? entryId = null, Guid? patientId = null, int minutes = 20) => new(
        Guid.NewGuid(), patientId ?? Guid.NewGuid(), entryId ?? Guid.NewGuid(), Guid.NewGuid(), RosterKind.ClinicalStaff,
        CareProgram.Ccm, new DateTime(2025, 3, 4, 14, 0, 0, DateTimeKind.Utc), minutes, "CallWithPatient", ["E119"], DateTime.UtcNow);

    public static async Task<int> MinutesFor(IHost host, Guid patientId)
    {
        using var scope = host.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<LedgerDb>();
        return await db.Minutes.Where(m => m.PatientId == patientId).SumAsync(m => m.Minutes);
    }

    public static string TempDatabase() => Path.Combine(Path.GetTempPath(), "ccm-tests", Guid.NewGuid().ToString("N") + ".db");

    public static string Prefix() => "t" + Guid.NewGuid().ToString("N")[..8] + "-";

    public static string Broker => TestInfrastructure.Messaging;
}
