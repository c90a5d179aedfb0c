using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Data;

public abstract class SchedulingDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
    }
}

/// <summary>SQLite flavour: owns Migrations/Sqlite.</summary>
public sealed class SqliteSchedulingDbContext(DbContextOptions<SqliteSchedulingDbContext> options) : SchedulingDbContext(options);

/// <summary>SQL Server flavour: owns Migrations/SqlServer.</summary>
public sealed class SqlServerSchedulingDbContext(DbContextOptions<SqlServerSchedulingDbContext> options) : SchedulingDbContext(options);

public sealed class SqliteSchedulingDesignTimeFactory : SqliteDesignTimeFactory<SqliteSchedulingDbContext>;

public sealed class SqlServerSchedulingDesignTimeFactory : SqlServerDesignTimeFactory<SqlServerSchedulingDbContext>;
