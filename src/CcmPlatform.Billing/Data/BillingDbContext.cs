using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CcmPlatform.Billing.Data;

public abstract class BillingDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<PracticeFact> Practices => Set<PracticeFact>();
    public DbSet<RosterFact> Roster => Set<RosterFact>();
    public DbSet<PatientFact> Patients => Set<PatientFact>();
    public DbSet<CoverageFact> Coverages => Set<CoverageFact>();
    public DbSet<AssignmentFact> Assignments => Set<AssignmentFact>();
    public DbSet<ConsentFact> Consents => Set<ConsentFact>();
    public DbSet<ConsentRevocationFact> ConsentRevocations => Set<ConsentRevocationFact>();
    public DbSet<EnrollmentFact> Enrollments => Set<EnrollmentFact>();
    public DbSet<VisitFact> Visits => Set<VisitFact>();
    public DbSet<InpatientStayFact> InpatientStays => Set<InpatientStayFact>();
    public DbSet<CarePlanVersionFact> CarePlanVersions => Set<CarePlanVersionFact>();
    public DbSet<CarePlanShareFact> CarePlanShares => Set<CarePlanShareFact>();
    public DbSet<CarePlanRevisionFact> CarePlanRevisions => Set<CarePlanRevisionFact>();
    public DbSet<ComplexityFact> Complexities => Set<ComplexityFact>();
    public DbSet<TimeEntryFact> TimeEntries => Set<TimeEntryFact>();
    public DbSet<BilledElsewhereRecord> BilledElsewhere => Set<BilledElsewhereRecord>();
    public DbSet<FeeScheduleRecord> FeeSchedules => Set<FeeScheduleRecord>();
    public DbSet<MueCapRecord> MueCaps => Set<MueCapRecord>();
    public DbSet<PatientMonthRecord> PatientMonths => Set<PatientMonthRecord>();
    public DbSet<MonthCloseRecord> MonthCloses => Set<MonthCloseRecord>();
    public DbSet<OutcomeRecord> Outcomes => Set<OutcomeRecord>();
    public DbSet<ClaimRecord> Claims => Set<ClaimRecord>();
    public DbSet<ClaimLineRecord> ClaimLines => Set<ClaimLineRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite hands DateTime back as Unspecified; every instant here is UTC (conventions).
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        var b = modelBuilder;
        b.Entity<PracticeFact>().HasKey(x => x.PracticeId);
        b.Entity<RosterFact>(e =>
        {
            e.HasKey(x => x.RosterId);
            e.HasIndex(x => x.PracticeId);
            e.HasIndex(x => x.Npi);
            e.Property(x => x.Npi).HasMaxLength(20);
        });
        b.Entity<PatientFact>(e =>
        {
            e.HasKey(x => x.PatientId);
            e.HasIndex(x => x.PracticeId);
            e.Property(x => x.Conditions).HasMaxLength(4000);
        });
        b.Entity<CoverageFact>(e => { e.HasKey(x => x.CoverageId); e.HasIndex(x => x.PatientId); });
        b.Entity<AssignmentFact>(e => { e.HasKey(x => x.AssignmentId); e.HasIndex(x => x.PatientId); });
        b.Entity<ConsentFact>(e => { e.HasKey(x => x.ConsentId); e.HasIndex(x => x.PatientId); });
        b.Entity<ConsentRevocationFact>(e => { e.HasKey(x => x.ConsentId); e.HasIndex(x => x.PatientId); });
        b.Entity<EnrollmentFact>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.PatientId, x.Program, x.Enrolled, x.OccurredAt }).IsUnique();
            e.Property(x => x.Program).HasMaxLength(20);
        });
        b.Entity<VisitFact>(e => { e.HasKey(x => x.VisitId); e.HasIndex(x => x.PatientId); });
        b.Entity<InpatientStayFact>(e => { e.HasKey(x => x.StayId); e.HasIndex(x => x.PatientId); });
        b.Entity<CarePlanVersionFact>(e => { e.HasKey(x => new { x.CarePlanId, x.Version }); e.HasIndex(x => x.PatientId); });
        b.Entity<CarePlanShareFact>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.CarePlanId, x.Version, x.SharedAt }).IsUnique();
            e.HasIndex(x => x.PatientId);
        });
        b.Entity<CarePlanRevisionFact>(e => { e.HasKey(x => new { x.CarePlanId, x.Version }); e.HasIndex(x => x.PatientId); });
        b.Entity<ComplexityFact>(e => { e.HasKey(x => x.AssessmentId); e.HasIndex(x => x.PatientId); });
        b.Entity<TimeEntryFact>(e =>
        {
            e.HasKey(x => x.EntryId);
            e.HasIndex(x => x.PatientId);
            // Covers the close's "patients with entries in the month" query: without PatientId in the index every entry row is fetched.
            e.HasIndex(x => new { x.PracticeId, x.StartedAt, x.PatientId });
            e.Property(x => x.ConditionsAddressed).HasMaxLength(2000);
        });
        b.Entity<BilledElsewhereRecord>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.PatientId, x.Code, x.PractitionerNpi, x.DateOfService }).IsUnique();
            e.Property(x => x.Code).HasMaxLength(10);
            e.Property(x => x.PractitionerNpi).HasMaxLength(20);
        });
        b.Entity<FeeScheduleRecord>(e =>
        {
            e.HasKey(x => x.Year);
            e.Property(x => x.Year).ValueGeneratedNever();
            e.Property(x => x.Csv).HasMaxLength(200_000);
            e.Property(x => x.ConversionFactor).HasPrecision(12, 4);
            e.Property(x => x.QpConversionFactor).HasPrecision(12, 4);
        });
        b.Entity<MueCapRecord>(e =>
        {
            e.HasKey(x => new { x.Payer, x.Code });
            e.Property(x => x.Payer).HasMaxLength(100);
            e.Property(x => x.Code).HasMaxLength(10);
        });
        b.Entity<PatientMonthRecord>(e =>
        {
            e.HasKey(x => new { x.PatientId, x.Year, x.Month });
            e.HasIndex(x => new { x.PracticeId, x.Year, x.Month });
            e.HasIndex(x => x.Dirty);
            e.Property(x => x.Version).IsConcurrencyToken();
        });
        b.Entity<MonthCloseRecord>(e =>
        {
            e.HasKey(x => new { x.PracticeId, x.Year, x.Month });
            e.HasIndex(x => x.CloseId).IsUnique();
        });
        b.Entity<OutcomeRecord>(e =>
        {
            e.HasKey(x => new { x.PatientId, x.Year, x.Month });
            e.HasIndex(x => new { x.PracticeId, x.Year, x.Month });
            e.Property(x => x.Text).HasMaxLength(2000);
            e.Property(x => x.Reasons).HasMaxLength(1000);
            e.Property(x => x.RuleIds).HasMaxLength(1000);
            e.Property(x => x.ExplanationText).HasMaxLength(20_000);
            e.Property(x => x.ExplanationJson).HasMaxLength(50_000);
        });
        b.Entity<ClaimRecord>(e =>
        {
            e.HasKey(x => x.ClaimId);
            // One live claim per patient-month (R-EXCL-2): a unique index on a key that voiding clears.
            e.HasIndex(x => x.LiveKey).IsUnique();
            e.Property(x => x.LiveKey).HasMaxLength(60);
            e.HasIndex(x => new { x.PracticeId, x.Year, x.Month });
            e.Property(x => x.RuleIds).HasMaxLength(1000);
            e.Property(x => x.ExplanationText).HasMaxLength(20_000);
            e.Property(x => x.ExplanationJson).HasMaxLength(50_000);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.ClaimId);
        });
        b.Entity<ClaimLineRecord>().HasKey(x => new { x.ClaimId, x.Seq });
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcConverter() : ValueConverter<DateTime?, DateTime?>(v => v, v => v == null ? null : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}

/// <summary>SQLite flavour: owns Migrations/Sqlite.</summary>
public sealed class SqliteBillingDbContext(DbContextOptions<SqliteBillingDbContext> options) : BillingDbContext(options);

/// <summary>SQL Server flavour: owns Migrations/SqlServer.</summary>
public sealed class SqlServerBillingDbContext(DbContextOptions<SqlServerBillingDbContext> options) : BillingDbContext(options);

public sealed class SqliteBillingDesignTimeFactory : SqliteDesignTimeFactory<SqliteBillingDbContext>;

public sealed class SqlServerBillingDesignTimeFactory : SqlServerDesignTimeFactory<SqlServerBillingDbContext>;
