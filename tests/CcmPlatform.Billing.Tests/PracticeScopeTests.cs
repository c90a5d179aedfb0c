using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Billing.Data;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Billing.Tests;

/// <summary>A token scoped to practice A cannot read practice B's ledgers or claims, nor touch its patients.</summary>
public sealed class PracticeScopeTests(ServiceFactory<Program, BillingDbContext> factory) : IClassFixture<ServiceFactory<Program, BillingDbContext>>
{
    private async Task<(Guid PracticeId, Guid PatientId)> SeedAsync()
    {
        var (practiceId, patientId) = (Guid.NewGuid(), Guid.NewGuid());
        await factory.WithDb(db =>
        {
            db.Practices.Add(new PracticeFact { PracticeId = practiceId, Name = "Test practice" });
            db.Patients.Add(new PatientFact { PatientId = patientId, PracticeId = practiceId, GivenName = "Pat", FamilyName = "Test", BirthDate = new DateOnly(1950, 1, 1) });
            return db.SaveChangesAsync();
        });
        return (practiceId, patientId);
    }

    [Fact]
    public async Task GivenATokenScopedToPracticeA_WhenTouchingPracticeBsRecords_Then404AndNothingStored_AndItsOwnWork()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var scoped = factory.ClientAs(Roles.Billing, Guid.NewGuid(), a.PracticeId);
        var service = new { code = "G0182", practitionerNpi = BillingSeed.NpiA, dateOfService = "2025-09-12" };

        await AssertOutOfScope(await scoped.GetAsync($"/api/billing/practices/{b.PracticeId}/months/2025-09/ledgers"), "practiceId");
        await AssertOutOfScope(await scoped.GetAsync($"/api/billing/practices/{b.PracticeId}/months/2025-09/claims"), "practiceId");
        await AssertOutOfScope(await scoped.PostAsync($"/api/billing/practices/{b.PracticeId}/months/2025-09/close", null), "practiceId");
        await AssertOutOfScope(await scoped.GetAsync($"/api/billing/patients/{b.PatientId}/services-billed-elsewhere"), "patientId");
        await AssertOutOfScope(await scoped.PostAsJsonAsync($"/api/billing/patients/{b.PatientId}/services-billed-elsewhere", service), "patientId");
        Assert.Equal(0, await factory.WithDb(db => db.BilledElsewhere.CountAsync(x => x.PatientId == b.PatientId)));
        Assert.Equal(0, await factory.WithDb(db => db.MonthCloses.CountAsync(x => x.PracticeId == b.PracticeId)));

        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/billing/practices/{a.PracticeId}/months/2025-09/ledgers")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await scoped.PostAsJsonAsync($"/api/billing/patients/{a.PatientId}/services-billed-elsewhere", service)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/billing/patients/{a.PatientId}/services-billed-elsewhere")).StatusCode);
    }

    [Fact]
    public async Task GivenARosterMemberTokenWithoutPracticeClaim_WhenReadingAnotherPractice_Then404_AndAStrangerGets403NotOnRoster()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var billerOfA = Guid.NewGuid();
        await factory.WithDb(db =>
        {
            db.Roster.Add(new RosterFact { RosterId = billerOfA, PracticeId = a.PracticeId, DisplayName = "Biller", Kind = "NonClinical", Credential = "Biller", ActiveFrom = new DateOnly(2020, 1, 1) });
            return db.SaveChangesAsync();
        });
        var member = factory.ClientAs(Roles.Billing, billerOfA);

        await AssertOutOfScope(await member.GetAsync($"/api/billing/practices/{b.PracticeId}/months/2025-09/claims"), "practiceId");
        await AssertOutOfScope(await member.GetAsync($"/api/billing/patients/{b.PatientId}/services-billed-elsewhere"), "patientId");
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/api/billing/practices/{a.PracticeId}/months/2025-09/ledgers")).StatusCode);

        var stranger = await factory.ClientAs(Roles.Billing, Guid.NewGuid()).GetAsync($"/api/billing/practices/{a.PracticeId}/months/2025-09/ledgers");
        Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Equal(PracticeScope.RosterRule, (await stranger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rule").GetString());
    }

    private static async Task AssertOutOfScope(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PRACTICE_SCOPE", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }
}
