using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CcmPlatform.Migrator;

/// <summary>
/// Applies every service's migrations once, then exits; the services wait for it (Aspire
/// WaitForCompletion, a Kubernetes Job later) instead of migrating at start-up.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddServiceDefaults();
        builder.AddServiceDatabase<Patients.Data.PatientsDbContext, Patients.Data.SqlitePatientsDbContext, Patients.Data.SqlServerPatientsDbContext>("patientsdb");
        builder.AddServiceDatabase<CarePlans.Data.CarePlansDbContext, CarePlans.Data.SqliteCarePlansDbContext, CarePlans.Data.SqlServerCarePlansDbContext>("careplansdb");
        builder.AddServiceDatabase<Medications.Data.MedicationsDbContext, Medications.Data.SqliteMedicationsDbContext, Medications.Data.SqlServerMedicationsDbContext>("medicationsdb");
        builder.AddServiceDatabase<Scheduling.Data.SchedulingDbContext, Scheduling.Data.SqliteSchedulingDbContext, Scheduling.Data.SqlServerSchedulingDbContext>("schedulingdb");
        builder.AddServiceDatabase<Billing.Data.BillingDbContext, Billing.Data.SqliteBillingDbContext, Billing.Data.SqlServerBillingDbContext>("billingdb");
        using var host = builder.Build();

        var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CcmPlatform.Migrator");
        using var scope = host.Services.CreateScope();
        DbContext[] contexts =
        [
            scope.ServiceProvider.GetRequiredService<Patients.Data.PatientsDbContext>(),
            scope.ServiceProvider.GetRequiredService<CarePlans.Data.CarePlansDbContext>(),
            scope.ServiceProvider.GetRequiredService<Medications.Data.MedicationsDbContext>(),
            scope.ServiceProvider.GetRequiredService<Scheduling.Data.SchedulingDbContext>(),
            scope.ServiceProvider.GetRequiredService<Billing.Data.BillingDbContext>(),
        ];
        foreach (var db in contexts)
        {
            if (db.Database.GetConnectionString() is { } cs && cs.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase))
            {
                var file = cs["Data Source=".Length..].Split(';')[0];
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            }

            var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
            await db.Database.MigrateAsync();
            log.LogInformation("{Context}: applied {Count} migration(s) {Names}", db.GetType().Name, pending.Count, string.Join(", ", pending));
        }

        return 0;
    }
}
