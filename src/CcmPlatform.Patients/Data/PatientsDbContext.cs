using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CcmPlatform.Patients.Data;

public abstract class PatientsDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<Practice> Practices => Set<Practice>();

    public DbSet<RosterMember> RosterMembers => Set<RosterMember>();

    public DbSet<Patient> Patients => Set<Patient>();

    public DbSet<Condition> Conditions => Set<Condition>();

    public DbSet<Encounter> Encounters => Set<Encounter>();

    public DbSet<Coverage> Coverages => Set<Coverage>();

    public DbSet<BillingPractitionerAssignment> BillingPractitionerAssignments => Set<BillingPractitionerAssignment>();

    public DbSet<Consent> Consents => Set<Consent>();

    public DbSet<Enrollment> Enrollments => Set<Enrollment>();

    public DbSet<Visit> Visits => Set<Visit>();

    public DbSet<InpatientStay> InpatientStays => Set<InpatientStay>();

    public DbSet<Death> Deaths => Set<Death>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite hands DateTime back as Unspecified; every instant in this model is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        modelBuilder.Entity<Practice>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.Name).HasMaxLength(200);
            b.Property(x => x.TimeZone).HasMaxLength(100);
        });

        modelBuilder.Entity<RosterMember>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasOne<Practice>().WithMany().HasForeignKey(x => x.PracticeId);
            b.Property(x => x.DisplayName).HasMaxLength(200);
            b.Property(x => x.Credential).HasMaxLength(50);
            b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(30);
            b.Property(x => x.Npi).HasMaxLength(10);
            b.Property(x => x.PractitionerType).HasMaxLength(50);
            b.Property(x => x.QualifyingApmParticipantYears).HasMaxLength(200);
            b.Ignore(x => x.QpYears);
            b.HasIndex(x => new { x.PracticeId, x.Npi });
        });

        modelBuilder.Entity<Patient>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasOne<Practice>().WithMany().HasForeignKey(x => x.PracticeId);
            b.Property(x => x.SyntheaId).HasMaxLength(100);
            b.Property(x => x.GivenName).HasMaxLength(200);
            b.Property(x => x.FamilyName).HasMaxLength(200);
            b.Property(x => x.Sex).HasMaxLength(20);
            b.Ignore(x => x.Name);
            // One patient per Synthea id per practice: re-import can never duplicate (also across replicas).
            b.HasIndex(x => new { x.PracticeId, x.SyntheaId }).IsUnique();
            b.HasMany(x => x.Identifiers).WithOne().HasForeignKey(x => x.PatientId);
            b.HasMany(x => x.Conditions).WithOne().HasForeignKey(x => x.PatientId);
            b.HasMany(x => x.Encounters).WithOne().HasForeignKey(x => x.PatientId);
            b.HasMany(x => x.Coverages).WithOne().HasForeignKey(x => x.PatientId);
            b.HasMany(x => x.BillingAssignments).WithOne().HasForeignKey(x => x.PatientId);
            b.HasMany(x => x.Consents).WithOne().HasForeignKey(x => x.PatientId);
            b.HasMany(x => x.Enrollments).WithOne().HasForeignKey(x => x.PatientId);
            b.HasMany(x => x.Visits).WithOne().HasForeignKey(x => x.PatientId);
            b.HasMany(x => x.InpatientStays).WithOne().HasForeignKey(x => x.PatientId);
            b.HasOne(x => x.Death).WithOne().HasForeignKey<Death>(x => x.PatientId);
        });

        modelBuilder.Entity<PatientIdentifier>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.System).HasMaxLength(200);
            b.Property(x => x.Value).HasMaxLength(200);
            b.HasIndex(x => new { x.PatientId, x.System, x.Value }).IsUnique();
        });

        modelBuilder.Entity<Condition>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.ExternalId).HasMaxLength(100);
            b.Property(x => x.SnomedCode).HasMaxLength(20);
            b.Property(x => x.Display).HasMaxLength(500);
            b.Property(x => x.Icd10Code).HasMaxLength(10);
            b.Property(x => x.ChronicGroup).HasMaxLength(200);
            b.HasIndex(x => new { x.PatientId, x.ExternalId }).IsUnique();
        });

        modelBuilder.Entity<Encounter>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.ExternalId).HasMaxLength(100);
            b.Property(x => x.ClassCode).HasMaxLength(30);
            b.Property(x => x.Code).HasMaxLength(30);
            b.Property(x => x.Display).HasMaxLength(500);
            b.Property(x => x.ExternalPractitionerId).HasMaxLength(100);
            b.HasIndex(x => new { x.PatientId, x.ExternalId }).IsUnique();
        });

        modelBuilder.Entity<Coverage>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.Payer).HasMaxLength(200);
            b.Property(x => x.Mbi).HasMaxLength(11);
        });

        modelBuilder.Entity<BillingPractitionerAssignment>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasOne<RosterMember>().WithMany().HasForeignKey(x => x.PractitionerId).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(x => new { x.PatientId, x.EffectiveFrom });
        });

        modelBuilder.Entity<Consent>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.Program).HasConversion<string>().HasMaxLength(30);
            b.Property(x => x.Method).HasMaxLength(50);
            b.Property(x => x.RevocationReason).HasMaxLength(1000);
            b.HasOne<RosterMember>().WithMany().HasForeignKey(x => x.PractitionerId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<Enrollment>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.Program).HasConversion<string>().HasMaxLength(30);
            b.Property(x => x.State).HasConversion<string>().HasMaxLength(30);
            b.HasIndex(x => new { x.PatientId, x.Program }).IsUnique();
            b.HasMany(x => x.History).WithOne().HasForeignKey(x => x.EnrollmentId);
        });

        modelBuilder.Entity<EnrollmentStateChange>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.From).HasConversion<string>().HasMaxLength(30);
            b.Property(x => x.To).HasConversion<string>().HasMaxLength(30);
            b.Property(x => x.Reason).HasMaxLength(1000);
        });

        modelBuilder.Entity<Visit>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.Code).HasMaxLength(10);
            b.HasOne<RosterMember>().WithMany().HasForeignKey(x => x.PractitionerId).OnDelete(DeleteBehavior.Restrict);
            // R-INIT-2 in the database: one G0506 per patient, even with two replicas racing.
            // Double-quoted identifiers work on both SQLite and SQL Server (QUOTED_IDENTIFIER ON).
            b.HasIndex(x => x.PatientId).IsUnique().HasFilter("\"WithG0506\" = 1").HasDatabaseName("IX_Visits_OneG0506PerPatient");
            b.HasIndex(x => new { x.PatientId, x.StartedAt });
        });

        modelBuilder.Entity<InpatientStay>(b =>
        {
            b.HasKey(x => x.Id);
            b.Property(x => x.Facility).HasMaxLength(20);
        });

        modelBuilder.Entity<Death>(b =>
        {
            b.HasKey(x => x.Id);
            b.HasIndex(x => x.PatientId).IsUnique();
        });

        // Ids are minted in code (version 7 Guids); a new child with its id set is an insert, never an update.
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => e.ClrType.Namespace == typeof(Patient).Namespace))
        {
            entity.FindPrimaryKey()?.Properties.Single().ValueGenerated = Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never;
        }
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v,
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>SQLite flavour: owns Migrations/Sqlite.</summary>
public sealed class SqlitePatientsDbContext(DbContextOptions<SqlitePatientsDbContext> options) : PatientsDbContext(options);

/// <summary>SQL Server flavour: owns Migrations/SqlServer.</summary>
public sealed class SqlServerPatientsDbContext(DbContextOptions<SqlServerPatientsDbContext> options) : PatientsDbContext(options);

public sealed class SqlitePatientsDesignTimeFactory : SqliteDesignTimeFactory<SqlitePatientsDbContext>;

public sealed class SqlServerPatientsDesignTimeFactory : SqlServerDesignTimeFactory<SqlServerPatientsDbContext>;
