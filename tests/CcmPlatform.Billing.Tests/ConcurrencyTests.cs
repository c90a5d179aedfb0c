using CcmPlatform.Billing.Closing;
using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Rules;
using CcmPlatform.Contracts;
using CcmPlatform.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CcmPlatform.Billing.Tests;

/// <summary>Facts that travel on different queues arrive in any order, and consumers and the projector race on one row.</summary>
public sealed class ConcurrencyTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    private static readonly DateTime March10 = new(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);

    private Task<TimeEntryFact?> EntryAsync(Guid entryId) =>
        factory.WithDb(db => db.TimeEntries.AsNoTracking().SingleOrDefaultAsync(e => e.EntryId == entryId));

    private Task<bool> ConsumedAsync(Guid messageId) =>
        factory.WithDb(db => db.InboxMessages.AnyAsync(m => m.MessageId == messageId));

    private Task<PatientMonthRecord?> MarchAsync(Guid patientId) =>
        factory.WithDb(db => db.PatientMonths.AsNoTracking().SingleOrDefaultAsync(m => m.PatientId == patientId && m.Year == 2025 && m.Month == 3));

    /// <summary>
    /// Waits for the live projector to bring a patient-month to the wanted state. On a timeout the message also says what a
    /// fresh projection of that row does now (its result or its exception), so an intermittent failure explains itself.
    /// </summary>
    private async Task<PatientMonthRecord> ProjectedAsync(Guid patientId, int year, int month, Func<PatientMonthRecord, bool> done, string what)
    {
        Task<PatientMonthRecord?> Read() => factory.WithDb(db => db.PatientMonths.AsNoTracking().SingleOrDefaultAsync(m => m.PatientId == patientId && m.Year == year && m.Month == month));
        try
        {
            return (await TestInfrastructure.Eventually(Read, m => m is not null && done(m), TestInfrastructure.Convergence, what))!;
        }
        catch (TimeoutException timeout)
        {
            string retry;
            try
            {
                var projector = new LedgerProjector(factory.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System, NullLogger<LedgerProjector>.Instance);
                using var scope = factory.Services.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
                var row = await db.PatientMonths.AsNoTracking().SingleAsync(m => m.PatientId == patientId && m.Year == year && m.Month == month);
                var dirtyAhead = await db.PatientMonths.CountAsync(m => m.Dirty && m.ChangedAt <= row.ChangedAt);
                await projector.ProjectRowAsync(db, row, await FeeScheduleStore.LoadAsync(db, DateTime.UtcNow, CancellationToken.None), await db.MueCaps.AsNoTracking().ToListAsync(), CancellationToken.None);
                retry = $"a fresh projection succeeded: {await Read()} ({dirtyAhead} dirty rows were at or ahead of it)";
            }
            catch (Exception ex)
            {
                retry = $"a fresh projection threw {ex}";
            }

            throw new TimeoutException($"{timeout.Message}; {retry}", timeout);
        }
    }

    [Fact]
    public async Task GivenVoidArrivesBeforeItsEntry_WhenBothConsumed_ThenEntryIsStoredVoidedAndNothingFails()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        var kept = seed.Entry(March10, 25);
        var voided = seed.Entry(March10.AddDays(1), 15);
        var voidMessage = NewId.NextGuid();

        await seed.Bus.Publish(new TimeEntryVoided(seed.PracticeId, seed.PatientId, voided.EntryId, seed.NurseId, "wrong patient", DateTime.UtcNow),
            ctx => ctx.MessageId = voidMessage);
        // Consumed at once (inbox row), not retried towards _error while it waits for the entry.
        await TestInfrastructure.Eventually(() => ConsumedAsync(voidMessage), c => c, TestInfrastructure.Convergence, "void consumed");
        Assert.NotNull((await EntryAsync(voided.EntryId))?.VoidedAt);

        await seed.Bus.Publish(voided);
        await seed.Bus.Publish(kept);
        await seed.WaitForEntriesAsync(2);
        await TestInfrastructure.Eventually(() => EntryAsync(voided.EntryId), e => e is { Program: "Ccm" }, TestInfrastructure.Convergence, "entry completes tombstone");

        var entry = await EntryAsync(voided.EntryId);
        Assert.Equal("wrong patient", entry!.VoidReason);
        Assert.NotNull(entry.VoidedAt);
        Assert.Equal(15, entry.Minutes);
        var ledger = await ProjectedAsync(seed.PatientId, 2025, 3, m => m is { Dirty: false, CountableMinutes: 25 }, "ledger counts only the kept entry");
        Assert.Equal(25, ledger!.CountableMinutes);
    }

    [Fact]
    public async Task GivenEntryArrivesBeforeItsVoid_WhenBothConsumed_ThenEntryIsVoidedAndLedgerDropsIt()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        var kept = seed.Entry(March10, 25);
        var voided = seed.Entry(March10.AddDays(1), 15);
        await seed.Bus.Publish(kept);
        await seed.Bus.Publish(voided);
        await seed.WaitForEntriesAsync(2);

        await seed.Bus.Publish(new TimeEntryVoided(seed.PracticeId, seed.PatientId, voided.EntryId, seed.NurseId, "duplicate", DateTime.UtcNow));

        await TestInfrastructure.Eventually(() => EntryAsync(voided.EntryId), e => e?.VoidedAt is not null, TestInfrastructure.Convergence, "void applied");
        await ProjectedAsync(seed.PatientId, 2025, 3, m => m is { Dirty: false, CountableMinutes: 25 }, "ledger drops the voided entry");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GivenConsentRevokedAndRecordedInEitherOrder_WhenConsumed_ThenConsentIsRevoked(bool revocationFirst)
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        var consentId = Guid.NewGuid();
        var revokedAt = new DateTime(2025, 2, 1, 12, 0, 0, DateTimeKind.Utc);
        var recorded = new ConsentRecorded(seed.PracticeId, seed.PatientId, consentId, Contracts.CareProgram.Pcm, seed.PractitionerId, "verbal", seed.NurseId,
            new DateTime(2025, 1, 5, 12, 0, 0, DateTimeKind.Utc), DateTime.UtcNow);
        var revoked = new ConsentRevoked(seed.PracticeId, seed.PatientId, consentId, Contracts.CareProgram.Pcm, revokedAt, DateTime.UtcNow);
        var recordedId = NewId.NextGuid();
        var revokedId = NewId.NextGuid();

        if (revocationFirst)
        {
            await seed.Bus.Publish(revoked, ctx => ctx.MessageId = revokedId);
            await TestInfrastructure.Eventually(() => ConsumedAsync(revokedId), c => c, TestInfrastructure.Convergence, "revocation consumed");
            await seed.Bus.Publish(recorded, ctx => ctx.MessageId = recordedId);
        }
        else
        {
            await seed.Bus.Publish(recorded, ctx => ctx.MessageId = recordedId);
            await TestInfrastructure.Eventually(() => ConsumedAsync(recordedId), c => c, TestInfrastructure.Convergence, "consent consumed");
            await seed.Bus.Publish(revoked, ctx => ctx.MessageId = revokedId);
        }
        await TestInfrastructure.Eventually(async () => await ConsumedAsync(recordedId) && await ConsumedAsync(revokedId), c => c,
            TestInfrastructure.Convergence, "both consumed");

        var facts = await factory.WithDb(async db =>
        {
            var file = await FactsLoader.LoadAsync(db, seed.PatientId, CancellationToken.None);
            return FactsLoader.ToFacts(file, new ServiceMonth(2025, 3), await FeeScheduleStore.LoadAsync(db, DateTime.UtcNow, CancellationToken.None), MueTable.MedicareDefault);
        });
        var consent = Assert.Single(facts.Consents, c => c.Id == consentId.ToString());
        Assert.Equal(revokedAt, consent.RevokedAtUtc);
    }

    /// <summary>
    /// The projector reads a patient-month, then a consumer commits a fact for it, then the projector writes: the write must
    /// fail for that row (Version), publish nothing, and leave the row dirty; the next computation includes the fact.
    /// </summary>
    [Fact]
    public async Task GivenFactCommittedAfterProjectorReadTheRow_WhenProjectorWrites_ThenRowStaysDirtyAndNothingStaleIsPublished()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        await seed.Bus.Publish(seed.Entry(March10, 20));
        await TestInfrastructure.Eventually(() => MarchAsync(seed.PatientId), m => m is { Dirty: false, CountableMinutes: 20 }, TestInfrastructure.Convergence, "first projection");

        var projector = new LedgerProjector(factory.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System, NullLogger<LedgerProjector>.Instance);
        using var projectorScope = factory.Services.CreateScope();
        var projectorDb = projectorScope.ServiceProvider.GetRequiredService<BillingDbContext>();
        var fees = await FeeScheduleStore.LoadAsync(projectorDb, DateTime.UtcNow, CancellationToken.None);

        // 1. The projector reads the row.
        var readByProjector = await projectorDb.PatientMonths.AsNoTracking().SingleAsync(m => m.PatientId == seed.PatientId && m.Year == 2025 && m.Month == 3);

        // 2. A consumer stages a fact and its mark on another context and commits.
        using (var consumerScope = factory.Services.CreateScope())
        {
            var consumerDb = consumerScope.ServiceProvider.GetRequiredService<BillingDbContext>();
            consumerDb.TimeEntries.Add(new TimeEntryFact
            {
                EntryId = Guid.NewGuid(), PatientId = seed.PatientId, PracticeId = seed.PracticeId, StaffId = seed.NurseId, StaffKind = "ClinicalStaff",
                Program = "Ccm", StartedAt = March10.AddDays(2), Minutes = 15, ActivityType = "call", ConditionsAddressed = "E11.9", RecordedAt = DateTime.UtcNow,
            });
            await PatientMonthMarks.MonthsAsync(consumerDb, seed.PracticeId, seed.PatientId, [new ServiceMonth(2025, 3)], DateTime.UtcNow, CancellationToken.None);
            await consumerDb.SaveChangesAsync();
        }
        var outboxBefore = await LedgerEventsAsync(seed.PatientId);

        // 3. The projector writes what it computed from the row it read.
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => projector.ProjectRowAsync(projectorDb, readByProjector, fees, [], CancellationToken.None));

        // Its LedgerUpdated was not committed; the row is dirty or already recomputed by the live projector with the fact.
        var after = await MarchAsync(seed.PatientId);
        Assert.True(after!.Dirty || after.CountableMinutes == 35, $"dirty mark lost: Dirty={after.Dirty}, minutes={after.CountableMinutes}");
        Assert.DoesNotContain(await LedgerEventsAsync(seed.PatientId), p => !outboxBefore.Contains(p) && p.Contains("\"countableMinutes\":20"));

        var final = await TestInfrastructure.Eventually(() => MarchAsync(seed.PatientId), m => m is { Dirty: false }, TestInfrastructure.Convergence, "recomputed");
        Assert.Equal(35, final!.CountableMinutes);
        await TestInfrastructure.Eventually(() => LedgerEventsAsync(seed.PatientId), l => l.Any(p => p.Contains("\"countableMinutes\":35")),
            TestInfrastructure.Convergence, "LedgerUpdated with the fact staged");
    }

    /// <summary>
    /// The root cause of ledgers cleared with one committed fact missing: a consumer loaded the row while it was still dirty,
    /// the projector cleared it, and the consumer's "dirty = true" was no change to the value it had loaded, so its UPDATE
    /// bumped the version but left the row clean.
    /// </summary>
    [Fact]
    public async Task GivenConsumerLoadedRowWhileDirty_WhenProjectorClearsItBeforeConsumerCommits_ThenRowIsDirtyAgain()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        await seed.Bus.Publish(seed.Entry(March10, 20));
        await TestInfrastructure.Eventually(() => MarchAsync(seed.PatientId), m => m is { Dirty: false, CountableMinutes: 20 }, TestInfrastructure.Convergence, "first projection");

        using var consumerScope = factory.Services.CreateScope();
        var consumerDb = consumerScope.ServiceProvider.GetRequiredService<BillingDbContext>();
        // 1. A consumer marks the month while it is still dirty from an earlier fact. The live projector may clean the row
        //    between the two steps; then try again until the consumer has loaded it dirty.
        PatientMonthRecord? loaded = null;
        for (var attempt = 0; attempt < 50 && loaded is null; attempt++)
        {
            consumerDb.ChangeTracker.Clear();
            await factory.WithDb(db => db.PatientMonths.Where(m => m.PatientId == seed.PatientId && m.Year == 2025 && m.Month == 3)
                .ExecuteUpdateAsync(u => u.SetProperty(m => m.Dirty, true).SetProperty(m => m.Version, m => m.Version + 1)));
            await PatientMonthMarks.MonthsAsync(consumerDb, seed.PracticeId, seed.PatientId, [new ServiceMonth(2025, 3)], DateTime.UtcNow, CancellationToken.None);
            var row = consumerDb.ChangeTracker.Entries<PatientMonthRecord>().Single();
            if ((bool)row.OriginalValues[nameof(PatientMonthRecord.Dirty)]!) loaded = row.Entity;
        }
        Assert.NotNull(loaded);

        // 2. The projector clears the row from the facts committed so far.
        await TestInfrastructure.Eventually(() => MarchAsync(seed.PatientId), m => m is { Dirty: false }, TestInfrastructure.Convergence, "projector clears the row");

        // 3. The consumer commits its fact with the mark it staged.
        consumerDb.TimeEntries.Add(new TimeEntryFact
        {
            EntryId = Guid.NewGuid(), PatientId = seed.PatientId, PracticeId = seed.PracticeId, StaffId = seed.NurseId, StaffKind = "ClinicalStaff",
            Program = "Ccm", StartedAt = March10.AddDays(2), Minutes = 15, ActivityType = "call", ConditionsAddressed = "E11.9", RecordedAt = DateTime.UtcNow,
        });
        await consumerDb.SaveChangesAsync();

        var after = await MarchAsync(seed.PatientId);
        Assert.True(after!.Dirty || after.CountableMinutes == 35, $"the fact's dirty mark was lost: {after}");
        var final = await TestInfrastructure.Eventually(() => MarchAsync(seed.PatientId), m => m is { Dirty: false }, TestInfrastructure.Convergence, "recomputed");
        Assert.Equal(35, final!.CountableMinutes);
    }

    [Fact]
    public async Task GivenProjectedLedgerDiffersFromItsFacts_WhenRecheckRuns_ThenRowIsRecomputed()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        await seed.Bus.Publish(seed.Entry(March10, 20));
        var projected = await TestInfrastructure.Eventually(() => MarchAsync(seed.PatientId), m => m is { Dirty: false, CountableMinutes: 20 }, TestInfrastructure.Convergence, "first projection");

        // A clean row whose figures no longer match its facts, written within the recheck delay after the projection.
        var corrupted = await factory.WithDb(db => db.PatientMonths
            .Where(m => m.PatientId == seed.PatientId && m.Year == 2025 && m.Month == 3 && m.Version == projected!.Version && !m.Dirty)
            .ExecuteUpdateAsync(u => u.SetProperty(m => m.CountableMinutes, 999)));
        Assert.Equal(1, corrupted);

        var healed = await TestInfrastructure.Eventually(() => MarchAsync(seed.PatientId), m => m is { Dirty: false, CountableMinutes: not 999 }, TestInfrastructure.Convergence, "recheck recomputes the row");
        Assert.Equal(20, healed!.CountableMinutes);
    }

    [Fact]
    public async Task GivenRowReadAfterFactCommitted_WhenProjectorWrites_ThenLedgerIncludesTheFact()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        await seed.Bus.Publish(seed.Entry(March10, 20));
        await TestInfrastructure.Eventually(() => MarchAsync(seed.PatientId), m => m is { Dirty: false, CountableMinutes: 20 }, TestInfrastructure.Convergence, "first projection");
        var projector = new LedgerProjector(factory.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System, NullLogger<LedgerProjector>.Instance);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BillingDbContext>();
        db.TimeEntries.Add(new TimeEntryFact
        {
            EntryId = Guid.NewGuid(), PatientId = seed.PatientId, PracticeId = seed.PracticeId, StaffId = seed.NurseId, StaffKind = "ClinicalStaff",
            Program = "Ccm", StartedAt = March10.AddDays(2), Minutes = 15, ActivityType = "call", ConditionsAddressed = "E11.9", RecordedAt = DateTime.UtcNow,
        });
        await PatientMonthMarks.MonthsAsync(db, seed.PracticeId, seed.PatientId, [new ServiceMonth(2025, 3)], DateTime.UtcNow, CancellationToken.None);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var row = await db.PatientMonths.AsNoTracking().SingleAsync(m => m.PatientId == seed.PatientId && m.Year == 2025 && m.Month == 3);
        try
        {
            await projector.ProjectRowAsync(db, row, await FeeScheduleStore.LoadAsync(db, DateTime.UtcNow, CancellationToken.None), [], CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The live projector got there first; it read the same committed facts.
        }
        var final = await TestInfrastructure.Eventually(() => MarchAsync(seed.PatientId), m => m is { Dirty: false }, TestInfrastructure.Convergence, "projected");
        Assert.Equal(35, final!.CountableMinutes);
    }

    /// <summary>200 facts for one patient at once through the real bus: each lands once, the PatientMonths inserts race, nothing fails.</summary>
    [Fact]
    public async Task GivenBurstOf200EntriesForOnePatient_WhenConsumedConcurrently_ThenEachLandsOnceAndLedgerIsComplete()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        // Spread over four months none of which has a row yet, so concurrent consumers race to insert each (patient, year, month).
        var entries = Enumerable.Range(0, 200)
            .Select(i => seed.Entry(new DateTime(2025, 4 + i % 4, 1 + i / 8 % 25, 14, 0, 0, DateTimeKind.Utc), 1 + i % 3)).ToList();
        var ids = entries.Select(_ => NewId.NextGuid()).ToList();
        await Task.WhenAll(entries.Select((e, i) => seed.Bus.Publish(e, ctx => ctx.MessageId = ids[i])));

        await TestInfrastructure.Eventually(seed.EntryCountAsync, n => n >= 200, TimeSpan.FromSeconds(120), "200 entries consumed");
        var set = ids.ToHashSet();
        Assert.Equal(200, await factory.WithDb(async db => (await db.InboxMessages.Where(m => m.Consumer == nameof(Consumers.TimeEntryRecordedConsumer))
            .Select(m => m.MessageId).ToListAsync()).Count(set.Contains)));
        Assert.Equal(200, await seed.EntryCountAsync());
        for (var month = 4; month <= 7; month++)
        {
            var expected = entries.Where(e => e.StartedAt.Month == month).Sum(e => e.Minutes);
            var m = month;
            // The probe reports the row's state and what is stored for its month, so a timeout says which side lags.
            var row = await TestInfrastructure.Eventually(
                () => factory.WithDb(async db =>
                {
                    var r = await db.PatientMonths.AsNoTracking().SingleOrDefaultAsync(x => x.PatientId == seed.PatientId && x.Year == 2025 && x.Month == m);
                    var stored = await db.TimeEntries.AsNoTracking().Where(e => e.PatientId == seed.PatientId && e.StartedAt.Month == m).Select(e => e.Minutes).ToListAsync();
                    return (r?.Dirty, r?.Version, r?.CountableMinutes, r?.NotCountableMinutes, StoredEntries: stored.Count, StoredMinutes: stored.Sum(), Expected: expected);
                }),
                r => r is { Dirty: false } && r.CountableMinutes == expected, TimeSpan.FromSeconds(120), $"2025-{m} ledger complete");
            Assert.Equal(expected, row.CountableMinutes);
        }
    }

    private Task<List<string>> LedgerEventsAsync(Guid patientId) =>
        factory.WithDb(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.MessageType.Contains("LedgerUpdated") && m.Payload.Contains(patientId.ToString())).Select(m => m.Payload).ToListAsync());
}
