using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Testcontainers.MsSql;
using Xunit.Abstractions;

namespace CcmPlatform.Persistence.Tests;

/// <summary>
/// The same persistence checks on both providers: every service's committed migrations apply to an
/// empty database, and a change commits (or rolls back) together with its outbox row. SQLite runs
/// everywhere; SQL Server runs in a Testcontainers container where a Docker engine answers.
/// </summary>
public sealed class PersistenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Services => new() { "patients", "careplans", "medications", "scheduling", "billing" };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task GivenAnEmptySqliteDatabase_WhenTheServiceMigrationsRun_ThenTheOutboxCommitsAndRollsBackWithTheChange(string service)
    {
        var file = Path.Combine(Path.GetTempPath(), "ccm-persistence", $"{service}-{Guid.NewGuid():N}.db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await CheckAsync(ServiceContexts.Create(service, DatabaseProvider.Sqlite, $"Data Source={file}"));
    }

    [SkippableTheory]
    [MemberData(nameof(Services))]
    public async Task GivenAnEmptySqlServerDatabase_WhenTheServiceMigrationsRun_ThenTheOutboxCommitsAndRollsBackWithTheChange(string service)
    {
        var why = Docker.WhyUnavailable();
        if (why is not null)
        {
            output.WriteLine($"Skipped: SQL Server runs in a Testcontainers container and {why}.");
        }

        Skip.If(why is not null, $"SQL Server persistence needs Docker: {why}.");
        await using var container = new MsSqlBuilder("mcr.microsoft.com/mssql/server:2022-latest").Build();
        await container.StartAsync();
        var connection = new Microsoft.Data.SqlClient.SqlConnectionStringBuilder(container.GetConnectionString()) { InitialCatalog = "ccm_" + service }.ConnectionString;
        await CheckAsync(ServiceContexts.Create(service, DatabaseProvider.SqlServer, connection));
    }

    private static async Task CheckAsync(Func<ServiceDbContext> create)
    {
        await using (var db = create())
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        var evt = new PracticeCreated(Guid.NewGuid(), "Persistence check", "America/New_York", false);
        await using (var db = create())
        {
            db.Outbox(evt, DateTime.UtcNow);
            await db.SaveChangesAsync();
        }

        await using (var db = create())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Outbox(evt with { PracticeId = Guid.NewGuid() }, DateTime.UtcNow);
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }

        await using (var db = create())
        {
            var rows = await db.OutboxMessages.AsNoTracking().ToListAsync();
            var row = Assert.Single(rows);
            Assert.Equal(typeof(PracticeCreated).FullName, row.MessageType);
            Assert.Contains(evt.PracticeId.ToString(), row.Payload, StringComparison.OrdinalIgnoreCase);
        }
    }
}

internal static class ServiceContexts
{
    public static Func<ServiceDbContext> Create(string service, DatabaseProvider provider, string connection) => (service, provider) switch
    {
        ("patients", DatabaseProvider.Sqlite) => () => new Patients.Data.SqlitePatientsDbContext(Sqlite<Patients.Data.SqlitePatientsDbContext>(connection)),
        ("patients", _) => () => new Patients.Data.SqlServerPatientsDbContext(SqlServer<Patients.Data.SqlServerPatientsDbContext>(connection)),
        ("careplans", DatabaseProvider.Sqlite) => () => new CarePlans.Data.SqliteCarePlansDbContext(Sqlite<CarePlans.Data.SqliteCarePlansDbContext>(connection)),
        ("careplans", _) => () => new CarePlans.Data.SqlServerCarePlansDbContext(SqlServer<CarePlans.Data.SqlServerCarePlansDbContext>(connection)),
        ("medications", DatabaseProvider.Sqlite) => () => new Medications.Data.SqliteMedicationsDbContext(Sqlite<Medications.Data.SqliteMedicationsDbContext>(connection)),
        ("medications", _) => () => new Medications.Data.SqlServerMedicationsDbContext(SqlServer<Medications.Data.SqlServerMedicationsDbContext>(connection)),
        ("scheduling", DatabaseProvider.Sqlite) => () => new Scheduling.Data.SqliteSchedulingDbContext(Sqlite<Scheduling.Data.SqliteSchedulingDbContext>(connection)),
        ("scheduling", _) => () => new Scheduling.Data.SqlServerSchedulingDbContext(SqlServer<Scheduling.Data.SqlServerSchedulingDbContext>(connection)),
        ("billing", DatabaseProvider.Sqlite) => () => new Billing.Data.SqliteBillingDbContext(Sqlite<Billing.Data.SqliteBillingDbContext>(connection)),
        ("billing", _) => () => new Billing.Data.SqlServerBillingDbContext(SqlServer<Billing.Data.SqlServerBillingDbContext>(connection)),
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
    };

    private static DbContextOptions<T> Sqlite<T>(string connection) where T : DbContext
        => new DbContextOptionsBuilder<T>().UseSqlite(connection).Options;

    private static DbContextOptions<T> SqlServer<T>(string connection) where T : DbContext
        => new DbContextOptionsBuilder<T>().UseSqlServer(connection).Options;
}

internal static class Docker
{
    /// <summary>Null when a Docker engine answers; otherwise why not, for the skip message.</summary>
    public static string? WhyUnavailable()
    {
        if (!File.Exists("/var/run/docker.sock") && Environment.GetEnvironmentVariable("DOCKER_HOST") is null)
        {
            return "no Docker engine socket (/var/run/docker.sock) or DOCKER_HOST on this machine";
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
                return "the Docker engine did not answer within 10 s";
            }

            return process.ExitCode == 0 ? null : "the Docker engine did not answer 'docker info'";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "the docker client is not installed";
        }
    }
}
