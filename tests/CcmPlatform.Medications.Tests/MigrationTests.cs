using CcmPlatform.Medications.Data;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Medications.Tests;

public sealed class MigrationTests
{
    [Fact]
    public void GivenSqliteMigrations_WhenComparedWithModel_ThenNoPendingChanges()
    {
        using var db = new SqliteMedicationsDbContext(new DbContextOptionsBuilder<SqliteMedicationsDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void GivenSqlServerMigrations_WhenComparedWithModel_ThenNoPendingChanges()
    {
        using var db = new SqlServerMedicationsDbContext(new DbContextOptionsBuilder<SqlServerMedicationsDbContext>().UseSqlServer("Server=unused;Database=unused").Options);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges());
    }
}
