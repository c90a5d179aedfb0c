using System.Text.Json;
using CcmPlatform.Billing.Data;
using CcmPlatform.Contracts;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Tests;

/// <summary>A month's not-countable minutes are those of its own entries, whatever was voided in the patient's other months.</summary>
public sealed class LedgerMinutesTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    [Fact]
    [Trait("Rule", "R-TIME-7")]
    [Trait("Rule", "R-TIME-1")]
    public async Task GivenVoidedEntriesInNovemberAndDecember_WhenLedgersAreProjected_ThenEachMonthsNotCountableIsTheSumOverItsOwnEntries()
    {
        var seed = new BillingSeed(factory);
        await seed.PatientAsync();
        var decKept = seed.Entry(new DateTime(2025, 12, 4, 15, 0, 0, DateTimeKind.Utc), 30);
        var decVoided = seed.Entry(new DateTime(2025, 12, 3, 15, 0, 0, DateTimeKind.Utc), 60);
        var novKept = seed.Entry(new DateTime(2025, 11, 10, 15, 0, 0, DateTimeKind.Utc), 25);
        var novVoided = seed.Entry(new DateTime(2025, 11, 12, 15, 0, 0, DateTimeKind.Utc), 10);

        // December's void lands before November's entries, so November's ledger is computed with it on file.
        await seed.Bus.Publish(decKept);
        await seed.Bus.Publish(decVoided);
        await seed.WaitForEntriesAsync(2);
        await VoidAsync(seed, decVoided.EntryId);
        await seed.Bus.Publish(novKept);
        await seed.Bus.Publish(novVoided);
        await seed.WaitForEntriesAsync(4);
        await VoidAsync(seed, novVoided.EntryId);

        var rows = await TestInfrastructure.Eventually(
            () => factory.WithDb(db => db.PatientMonths.AsNoTracking().Where(m => m.PatientId == seed.PatientId && m.Year == 2025 && m.Month >= 11).ToListAsync()),
            r => r.Count == 2 && r.All(m => !m.Dirty) && r.Single(m => m.Month == 11).NotCountableMinutes == 10 && r.Single(m => m.Month == 12).NotCountableMinutes == 60,
            TestInfrastructure.Convergence, "November and December ledgers projected with their own voided minutes");
        Assert.Equal(10, rows.Single(m => m.Month == 11).NotCountableMinutes);
        Assert.Equal(60, rows.Single(m => m.Month == 12).NotCountableMinutes);

        var billing = seed.Billing();
        foreach (var (month, countable, notCountable) in new[] { ("2025-11", 25, 10), ("2025-12", 30, 60) })
        {
            var ledger = Assert.Single((await BillingSeed.JsonAsync(await billing.GetAsync(seed.MonthPath(month) + "/ledgers"))).EnumerateArray());
            var perEntry = ledger.GetProperty("timeEntries").EnumerateArray()
                .SelectMany(e => e.GetProperty("notCountable").EnumerateArray())
                .Where(n => n.GetProperty("reason").GetString() != "OtherMonth")
                .Sum(n => n.GetProperty("minutes").GetInt32());
            Assert.Equal(countable, ledger.GetProperty("countableMinutes").GetInt32());
            Assert.Equal(notCountable, ledger.GetProperty("notCountableMinutes").GetInt32());
            Assert.Equal(notCountable, perEntry);
            Assert.Equal(2, ledger.GetProperty("timeEntries").GetArrayLength());
        }
    }

    private async Task VoidAsync(BillingSeed seed, Guid entryId)
    {
        await seed.Bus.Publish(new TimeEntryVoided(seed.PracticeId, seed.PatientId, entryId, seed.NurseId, "entered twice", DateTime.UtcNow));
        await TestInfrastructure.Eventually(
            () => factory.WithDb(db => db.TimeEntries.AsNoTracking().AnyAsync(e => e.EntryId == entryId && e.VoidedAt != null)),
            v => v, TestInfrastructure.Convergence, "void applied");
    }
}
