using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Medications.Data;

public abstract class MedicationsDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
    }
}

/// <summary>SQLite flavour: owns Migrations/Sqlite.</summary>
public sealed class SqliteMedicationsDbContext(DbContextOptions<SqliteMedicationsDbContext> options) : MedicationsDbContext(options);

/// <summary>SQL Server flavour: owns Migrations/SqlServer.</summary>
public sealed class SqlServerMedicationsDbContext(DbContextOptions<SqlServerMedicationsDbContext> options) : MedicationsDbContext(options);

public sealed class SqliteMedicationsDesignTimeFactory : SqliteDesignTimeFactory<SqliteMedicationsDbContext>;

public sealed class SqlServerMedicationsDesignTimeFactory : SqlServerDesignTimeFactory<SqlServerMedicationsDbContext>;
