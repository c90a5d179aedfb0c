using CcmPlatform.Patients.Data;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Patients.Tests;

public sealed class MigrationTests
{
    [Fact]
    public void GivenSqliteMigrations_WhenComparedWithModel_ThenNoPendingChanges()
    {
        using var db = new SqlitePatientsDbContext(new DbContextOptionsBuilder<SqlitePatientsDbContext>().UseSqlite("Data Source=:memory:").Options);

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void GivenSqlServerMigrations_WhenComparedWithModel_ThenNoPendingChanges()
    {
        using var db = new SqlServerPatientsDbContext(new DbContextOptionsBuilder<SqlServerPatientsDbContext>().UseSqlServer("Server=none;Database=none;TrustServerCertificate=True").Options);

        Assert.False(db.Database.HasPendingModelChanges());
    }
}
