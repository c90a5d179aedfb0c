using CcmPlatform.CarePlans.Data;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.CarePlans.Tests;

public sealed class MigrationTests
{
    [Fact]
    public void GivenSqliteMigrations_WhenComparedWithModel_ThenNoPendingChanges()
    {
        using var db = new SqliteCarePlansDbContext(new DbContextOptionsBuilder<SqliteCarePlansDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void GivenSqlServerMigrations_WhenComparedWithModel_ThenNoPendingChanges()
    {
        using var db = new SqlServerCarePlansDbContext(new DbContextOptionsBuilder<SqlServerCarePlansDbContext>().UseSqlServer("Server=unused;Database=unused").Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges());
    }
}
