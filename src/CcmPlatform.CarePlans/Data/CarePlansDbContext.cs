using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.CarePlans.Data;

public abstract class CarePlansDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
    }
}

/// <summary>SQLite flavour: owns Migrations/Sqlite.</summary>
public sealed class SqliteCarePlansDbContext(DbContextOptions<SqliteCarePlansDbContext> options) : CarePlansDbContext(options);

/// <summary>SQL Server flavour: owns Migrations/SqlServer.</summary>
public sealed class SqlServerCarePlansDbContext(DbContextOptions<SqlServerCarePlansDbContext> options) : CarePlansDbContext(options);

public sealed class SqliteCarePlansDesignTimeFactory : SqliteDesignTimeFactory<SqliteCarePlansDbContext>;

public sealed class SqlServerCarePlansDesignTimeFactory : SqlServerDesignTimeFactory<SqlServerCarePlansDbContext>;
