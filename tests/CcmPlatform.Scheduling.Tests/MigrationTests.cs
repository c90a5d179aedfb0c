using CcmPlatform.Scheduling.Data;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Tests;

public sealed class MigrationTests
{
    [Fact]
    public void GivenSqliteMigrations_WhenComparedWithModel_ThenNoPendingChanges()
    {
        using var db = new SqliteSchedulingDbContext(new DbContextOptionsBuilder<SqliteSchedulingDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void GivenSqlServerMigrations_WhenComparedWithModel_ThenNoPendingChanges()
    {
        using var db = new SqlServerSchedulingDbContext(new DbContextOptionsBuilder<SqlServerSchedulingDbContext>().UseSqlServer("Server=unused;Database=unused").Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges());
    }
}
