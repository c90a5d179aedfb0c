using CcmPlatform.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Data;

public abstract class BillingDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
    }
}

/// <summary>SQLite flavour: owns Migrations/Sqlite.</summary>
public sealed class SqliteBillingDbContext(DbContextOptions<SqliteBillingDbContext> options) : BillingDbContext(options);

/// <summary>SQL Server flavour: owns Migrations/SqlServer.</summary>
public sealed class SqlServerBillingDbContext(DbContextOptions<SqlServerBillingDbContext> options) : BillingDbContext(options);

public sealed class SqliteBillingDesignTimeFactory : SqliteDesignTimeFactory<SqliteBillingDbContext>;

public sealed class SqlServerBillingDesignTimeFactory : SqlServerDesignTimeFactory<SqlServerBillingDbContext>;
