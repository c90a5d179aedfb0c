using CcmPlatform.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Tests;

public sealed class MigrationTests
{
    [Fact]
    public void GivenSqliteMigrations_WhenComparedWithModel_ThenNoPendingChanges()
    {
        using var db = new SqliteBillingDbContext(new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void GivenSqlServerMigrations_WhenComparedWithModel_ThenNoPendingChanges()
    {
        using var db = new SqlServerBillingDbContext(new DbContextOptionsBuilder<SqlServerBillingDbContext>().UseSqlServer("Server=unused;Database=unused").Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges());
    }
}
