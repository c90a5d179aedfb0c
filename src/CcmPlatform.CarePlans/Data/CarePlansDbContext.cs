using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CcmPlatform.CarePlans.Data;

public abstract class CarePlansDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<CarePlan> Plans => Set<CarePlan>();

    public DbSet<CarePlanVersion> Versions => Set<CarePlanVersion>();

    public DbSet<CarePlanShare> Shares => Set<CarePlanShare>();

    public DbSet<SubstantialRevision> Revisions => Set<SubstantialRevision>();

    public DbSet<ComplexityAssessment> Complexity => Set<ComplexityAssessment>();

    public DbSet<PatientView> Patients => Set<PatientView>();

    public DbSet<RosterMemberView> Roster => Set<RosterMemberView>();

    public DbSet<BillingAssignment> BillingAssignments => Set<BillingAssignment>();

    public DbSet<PracticeView> Practices => Set<PracticeView>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite hands DateTime back as Unspecified; every instant here is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<PlanStatus>().HaveConversion<string>().HaveMaxLength(20);
        configurationBuilder.Properties<MdmLevel>().HaveConversion<string>().HaveMaxLength(20);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<RosterMemberView>(b =>
        {
            b.HasKey(x => x.RosterId);
            b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
        });
        modelBuilder.Entity<CarePlan>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => x.PatientId).IsUnique();

            // An int both SQLite and SQL Server compare in the UPDATE's WHERE; it is also the ETag.
            b.Property(x => x.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<CarePlanVersion>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => new { x.CarePlanId, x.Number }).IsUnique();
            b.Property(x => x.Content);
        });
        modelBuilder.Entity<CarePlanShare>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => x.CarePlanId);
            b.Property(x => x.Method).HasMaxLength(100);
        });
        modelBuilder.Entity<SubstantialRevision>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => x.CarePlanId);
            b.Property(x => x.Summary).HasMaxLength(2000);
        });
        modelBuilder.Entity<ComplexityAssessment>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => new { x.PatientId, x.OccurredAt });
        });
        modelBuilder.Entity<PatientView>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.Name).HasMaxLength(300);
        });
        modelBuilder.Entity<BillingAssignment>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => new { x.PatientId, x.EffectiveFrom });
        });
        modelBuilder.Entity<PracticeView>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.TimeZone).HasMaxLength(100);
        });
    }
}

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

/// <summary>SQLite flavour: owns Migrations/Sqlite.</summary>
public sealed class SqliteCarePlansDbContext(DbContextOptions<SqliteCarePlansDbContext> options) : CarePlansDbContext(options);

/// <summary>SQL Server flavour: owns Migrations/SqlServer.</summary>
public sealed class SqlServerCarePlansDbContext(DbContextOptions<SqlServerCarePlansDbContext> options) : CarePlansDbContext(options);

public sealed class SqliteCarePlansDesignTimeFactory : SqliteDesignTimeFactory<SqliteCarePlansDbContext>;

public sealed class SqlServerCarePlansDesignTimeFactory : SqlServerDesignTimeFactory<SqlServerCarePlansDbContext>;
