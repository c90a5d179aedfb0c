using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CcmPlatform.Medications.Data;

public abstract class MedicationsDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<MedicationEntry> Medications => Set<MedicationEntry>();

    public DbSet<Reconciliation> Reconciliations => Set<Reconciliation>();

    public DbSet<InteractionAlert> Alerts => Set<InteractionAlert>();

    public DbSet<PatientView> Patients => Set<PatientView>();

    public DbSet<RosterMemberView> Roster => Set<RosterMemberView>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<RosterMemberView>(b =>
        {
            b.HasKey(x => x.RosterId);
            b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
        });
        modelBuilder.Entity<MedicationEntry>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => new { x.PatientId, x.Status });
            b.Property(x => x.RxNormCode).HasMaxLength(20);
            b.Property(x => x.Display).HasMaxLength(500);
            b.Property(x => x.Status).HasMaxLength(20);
            b.Property(x => x.Source).HasMaxLength(20);
            b.Property(x => x.ExternalId).HasMaxLength(200);

            // Imports are idempotent by the source's id, enforced by the database.
            b.HasIndex(x => new { x.PatientId, x.ExternalId }).IsUnique().HasFilter("ExternalId IS NOT NULL");
        });
        modelBuilder.Entity<Reconciliation>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => x.PatientId);
        });
        modelBuilder.Entity<InteractionAlert>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => new { x.PatientId, x.Key, x.ResolvedAt });
            b.Property(x => x.Key).HasMaxLength(300);
            b.Property(x => x.RuleId).HasMaxLength(100);
            b.Property(x => x.Severity).HasMaxLength(20);
            b.Property(x => x.Summary).HasMaxLength(2000);
            b.Property(x => x.AcknowledgementReason).HasMaxLength(2000);
        });
        modelBuilder.Entity<PatientView>(b => b.HasKey(x => x.Id));
    }
}

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

/// <summary>SQLite flavour: owns Migrations/Sqlite.</summary>
public sealed class SqliteMedicationsDbContext(DbContextOptions<SqliteMedicationsDbContext> options) : MedicationsDbContext(options);

/// <summary>SQL Server flavour: owns Migrations/SqlServer.</summary>
public sealed class SqlServerMedicationsDbContext(DbContextOptions<SqlServerMedicationsDbContext> options) : MedicationsDbContext(options);

public sealed class SqliteMedicationsDesignTimeFactory : SqliteDesignTimeFactory<SqliteMedicationsDbContext>;

public sealed class SqlServerMedicationsDesignTimeFactory : SqlServerDesignTimeFactory<SqlServerMedicationsDbContext>;
