using CcmPlatform.Billing.Closing;
using CcmPlatform.Billing.Data;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Tests;

/// <summary>The month close's raw SQLite reads and writes must store and read exactly what EF would.</summary>
public sealed class SqliteCloseWriterTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ccm-closewriter-" + Guid.NewGuid().ToString("N"));
    private SqliteBillingDbContext _db = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _db = new SqliteBillingDbContext(new DbContextOptionsBuilder<SqliteBillingDbContext>()
            .UseSqlite($"Data Source={Path.Combine(_directory, "billing.db")}").Options);
        await _db.Database.OpenConnectionAsync();
        await _db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        await _db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); }
        catch (IOException) { /* a pooled handle may still hold the file; the temp directory is disposable */ }
    }

    private static ClaimRecord Claim(Guid patientId) => new()
    {
        ClaimId = Guid.CreateVersion7(), PracticeId = Guid.NewGuid(), PatientId = patientId, Year = 2025, Month = 3,
        LiveKey = ClaimRecord.LiveKeyFor(patientId, 2025, 3), Program = "Ccm", Track = "Standard", DateOfService = new DateOnly(2025, 3, 31),
        BillingPractitionerId = "p1", BillingNpi = "1234567893", PatientName = "Ann Lee", Mbi = "1EG4TE5MK73", Diagnoses = "E11.9;I10",
        TotalCents = 6215, CoinsuranceCents = 1243, ExplanationJson = "{}", RuleIds = "R-CLOSE-1",
        CreatedAt = new DateTime(2025, 4, 1, 5, 6, 7, 890, DateTimeKind.Utc).AddTicks(1234), ReplacesClaimId = null,
    };

    [Fact]
    public async Task GivenClaimWrittenByCloseWriter_WhenReadThroughEf_ThenEveryValueRoundTrips()
    {
        var claim = Claim(Guid.NewGuid());
        var writer = SqliteCloseWriter.For(_db)!;

        await writer.InsertAsync([claim], upsert: false, default);

        var stored = await _db.Claims.AsNoTracking().SingleAsync(c => c.ClaimId == claim.ClaimId);
        Assert.Equivalent(claim, stored, strict: true);
    }

    [Fact]
    public async Task GivenLiveClaimForPatientMonth_WhenCloseWriterInsertsSecondLiveClaim_ThenDbUpdateException()
    {
        var patientId = Guid.NewGuid();
        var writer = SqliteCloseWriter.For(_db)!;
        await writer.InsertAsync([Claim(patientId)], upsert: false, default);

        // The unique LiveKey is the close's backstop against a concurrent close; it must surface as SaveChanges would report it.
        await Assert.ThrowsAsync<DbUpdateException>(() => writer.InsertAsync([Claim(patientId)], upsert: false, default));
    }

    [Fact]
    public async Task GivenFactsAndOpenWriteTransaction_WhenSliceReadOnSecondConnection_ThenSameFilesAsOnWriteConnection()
    {
        var practiceId = Guid.NewGuid();
        var patientId = Guid.NewGuid();
        _db.Patients.Add(new PatientFact
        {
            PatientId = patientId, PracticeId = practiceId, GivenName = "Ann", FamilyName = "Lee", BirthDate = new DateOnly(1950, 2, 3),
            DiedAt = null, DeathDate = new DateOnly(2025, 3, 30), Conditions = "E11.9|diabetes;I10|hypertension", RecordedAt = DateTime.UtcNow,
        });
        _db.TimeEntries.Add(new TimeEntryFact
        {
            EntryId = Guid.NewGuid(), PatientId = patientId, PracticeId = practiceId, StaffId = Guid.NewGuid(), StaffKind = "ClinicalStaff",
            Program = "Ccm", StartedAt = new DateTime(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc).AddTicks(5), Minutes = 25, ActivityType = "call",
            ConditionsAddressed = "E11.9", RecordedAt = DateTime.UtcNow, VoidedAt = null, VoidReason = null,
        });
        await _db.SaveChangesAsync();
        var writer = SqliteCloseWriter.For(_db)!;
        await using var tx = await _db.Database.BeginTransactionAsync();
        // Uncommitted on the write connection: the reader must not see it, the close never reads what it writes.
        await writer.InsertAsync([Claim(patientId)], upsert: false, default);

        await using var reader = await writer.OpenReaderAsync(default);
        var aside = await FactsLoader.ReadSliceAsync(reader!, practiceId, null, [patientId], [], null, default);
        var inline = await FactsLoader.ReadSliceAsync(writer, practiceId, null, [patientId], [], null, default);

        Assert.Equivalent(inline[patientId].Patient, aside[patientId].Patient, strict: true);
        Assert.Single(aside[patientId].Entries);
        Assert.Equivalent(inline[patientId].Entries[0], aside[patientId].Entries[0], strict: true);
    }

    [Fact]
    public async Task GivenInMemoryDatabase_WhenReaderRequested_ThenNoneAndTheCloseReadsOnItsOwnConnection()
    {
        await using var db = new SqliteBillingDbContext(new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite("Data Source=:memory:").Options);
        await db.Database.OpenConnectionAsync();

        Assert.Null(await SqliteCloseWriter.For(db)!.OpenReaderAsync(default));
    }

    [Fact]
    public async Task GivenCheckpointDeferredForClose_WhenCommittedAndDisposed_ThenCommitLeavesPagesInWalAndCheckpointCopiesThemAfter()
    {
        var file = Path.Combine(_directory, "billing.db");
        await _db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        var writer = SqliteCloseWriter.For(_db)!;
        // About 8 MB of claims: past the 1,000-page (4 MB) threshold at which a commit checkpoints by itself.
        var claims = Enumerable.Range(0, 4000).Select(_ => Claim(Guid.NewGuid())).ToList();
        foreach (var c in claims) c.ExplanationJson = new string('x', 2000);

        var before = new FileInfo(file).Length;
        var deferral = (await writer.DeferCheckpointAsync(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, default))!;
        await using (deferral)
        {
            Assert.Equal(0L, await ScalarAsync("PRAGMA wal_autocheckpoint"));
            await using var tx = await _db.Database.BeginTransactionAsync();
            await writer.InsertAsync(claims, upsert: false, default);
            await tx.CommitAsync();
            Assert.Equal(before, new FileInfo(file).Length);
        }
        await deferral.Checkpoint;

        Assert.True(new FileInfo(file).Length > before + 4_000_000, "the checkpoint after the close copied its pages into the database");
        Assert.Equal(1000L, await ScalarAsync("PRAGMA wal_autocheckpoint"));
        Assert.Equal(claims.Count, await _db.Claims.CountAsync());
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var command = _db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
