using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Patients.Data;

public abstract class PatientsDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
    }
}

/// <summary>SQLite flavour: owns Migrations/Sqlite.</summary>
public sealed class SqlitePatientsDbContext(DbContextOptions<SqlitePatientsDbContext> options) : PatientsDbContext(options);

/// <summary>SQL Server flavour: owns Migrations/SqlServer.</summary>
public sealed class SqlServerPatientsDbContext(DbContextOptions<SqlServerPatientsDbContext> options) : PatientsDbContext(options);

public sealed class SqlitePatientsDesignTimeFactory : SqliteDesignTimeFactory<SqlitePatientsDbContext>;

public sealed class SqlServerPatientsDesignTimeFactory : SqlServerDesignTimeFactory<SqlServerPatientsDbContext>;
