using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CcmPlatform.Scheduling.Data;

public abstract class SchedulingDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<PracticeView> Practices => Set<PracticeView>();

    public DbSet<RosterPeriod> Roster => Set<RosterPeriod>();

    public DbSet<PatientView> Patients => Set<PatientView>();

    public DbSet<ConsentView> Consents => Set<ConsentView>();

    public DbSet<TimeEntry> TimeEntries => Set<TimeEntry>();

    public DbSet<PatientMonthLedger> Ledgers => Set<PatientMonthLedger>();

    public DbSet<Appointment> Appointments => Set<Appointment>();

    public DbSet<CareTask> Tasks => Set<CareTask>();

    public DbSet<EnrollmentView> Enrollments => Set<EnrollmentView>();

    public DbSet<MedicationAlertView> MedicationAlerts => Set<MedicationAlertView>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite hands DateTime back as Unspecified; every instant in this service is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<CareProgram>().HaveConversion<string>().HaveMaxLength(40);
        configurationBuilder.Properties<RosterKind>().HaveConversion<string>().HaveMaxLength(40);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<PracticeView>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.Name).HasMaxLength(300);
            b.Property(x => x.TimeZone).HasMaxLength(100);
        });
        modelBuilder.Entity<RosterPeriod>(b =>
        {
            // A roster member re-registered with a new ActiveFrom keeps the earlier kind for earlier dates (R-TIME-3).
            b.HasKey(x => new { x.RosterId, x.ActiveFrom });
            b.Property(x => x.DisplayName).HasMaxLength(300);
            b.Property(x => x.Credential).HasMaxLength(100);
        });
        modelBuilder.Entity<PatientView>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => x.PracticeId);
            b.Property(x => x.Name).HasMaxLength(300);
        });
        modelBuilder.Entity<ConsentView>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => new { x.PatientId, x.Program });
        });
        modelBuilder.Entity<TimeEntry>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.ActivityType).HasMaxLength(100);
            b.Property(x => x.Note).HasMaxLength(4000);
            b.Property(x => x.ConditionsAddressed).HasMaxLength(1000);
            b.Property(x => x.VoidReason).HasMaxLength(1000);
            b.HasIndex(x => new { x.PatientId, x.StartedAt });
            b.HasIndex(x => new { x.StaffId, x.StartedAt, x.EndedAt });

            // The overlap check runs in a serializable transaction; this index is the part the
            // database enforces on its own: one live entry per staff member per start minute.
            b.HasIndex(x => new { x.StaffId, x.StartedAt }).IsUnique().HasFilter("VoidedAt IS NULL").HasDatabaseName("UX_TimeEntries_Staff_Start_Live");
        });
        modelBuilder.Entity<PatientMonthLedger>(b =>
        {
            b.HasKey(x => new { x.PatientId, x.Year, x.Month });
            b.HasIndex(x => new { x.PracticeId, x.Year, x.Month });
        });
        modelBuilder.Entity<Appointment>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => new { x.PatientId, x.ScheduledAt });
            b.Property(x => x.Kind).HasMaxLength(100);
            b.Property(x => x.Outcome).HasMaxLength(1000);
        });
        modelBuilder.Entity<CareTask>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => new { x.AssigneeId, x.DueDate });
            b.Property(x => x.Title).HasMaxLength(500);
        });
        modelBuilder.Entity<EnrollmentView>(b =>
        {
            b.HasKey(x => new { x.PatientId, x.Program });
            b.HasIndex(x => x.PracticeId);
        });
        modelBuilder.Entity<MedicationAlertView>(b =>
        {
            b.HasKey(x => x.AlertId);
            b.HasIndex(x => new { x.PracticeId, x.PatientId });
            b.Property(x => x.RuleId).HasMaxLength(100);
            b.Property(x => x.Severity).HasMaxLength(20);
        });
    }

    /// <summary>
    /// Any change a worklist shows makes that practice's cached worklists stale. The bump happens
    /// after the commit, so a reader can never cache pre-commit data under the new version.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var practices = ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity switch
            {
                TimeEntry t => t.PracticeId,
                PatientMonthLedger l => l.PracticeId,
                CareTask t => t.PracticeId,
                Appointment a => a.PracticeId,
                PatientView p => p.PracticeId,
                EnrollmentView en => en.PracticeId,
                MedicationAlertView m => m.PracticeId,
                PracticeView p => p.Id,
                _ => Guid.Empty,
            })
            .Where(id => id != Guid.Empty)
            .ToHashSet();
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (practices.Count > 0 && WorklistCache() is { } cache)
        {
            await cache.InvalidateAsync(practices);
        }

        return saved;
    }

    private Domain.WorklistCache? WorklistCache()
    {
        try
        {
            return this.GetService<Domain.WorklistCache>();
        }
        catch (InvalidOperationException)
        {
            // Design-time and migrator contexts have no cache; nothing to invalidate there.
            return null;
        }
    }
}

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

/// <summary>SQLite flavour: owns Migrations/Sqlite.</summary>
public sealed class SqliteSchedulingDbContext(DbContextOptions<SqliteSchedulingDbContext> options) : SchedulingDbContext(options);

/// <summary>SQL Server flavour: owns Migrations/SqlServer.</summary>
public sealed class SqlServerSchedulingDbContext(DbContextOptions<SqlServerSchedulingDbContext> options) : SchedulingDbContext(options);

public sealed class SqliteSchedulingDesignTimeFactory : SqliteDesignTimeFactory<SqliteSchedulingDbContext>;

public sealed class SqlServerSchedulingDesignTimeFactory : SqlServerDesignTimeFactory<SqlServerSchedulingDbContext>;
