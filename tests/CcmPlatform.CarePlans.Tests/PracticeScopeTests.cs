using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.CarePlans.Data;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.CarePlans.Tests;

/// <summary>A token scoped to practice A cannot read or change practice B's care plans.</summary>
public sealed class PracticeScopeTests(ServiceFactory<Program, CarePlansDbContext> factory) : IClassFixture<ServiceFactory<Program, CarePlansDbContext>>
{
    private async Task<(Guid PracticeId, Guid PatientId)> SeedAsync()
    {
        var (practiceId, patientId) = (Guid.NewGuid(), Guid.NewGuid());
        await factory.WithDb(db =>
        {
            db.Patients.Add(new PatientView { Id = patientId, PracticeId = practiceId, Name = "Pat Test", ConditionsJson = "[]" });
            return db.SaveChangesAsync();
        });
        return (practiceId, patientId);
    }

    private static object Plan(Guid patientId, Guid responsible) => new
    {
        patientId,
        problems = new[] { new { icd10 = "E11.9", description = "Type 2 diabetes" } },
        expectedOutcome = "A1c under 8",
        prognosis = "Good with adherence",
        goals = new[] { new { description = "A1c", target = "< 8%", targetDate = "2025-09-01" } },
        symptomManagement = "Hypoglycaemia plan",
        interventions = new[] { new { description = "Monthly call", responsibleRosterId = responsible } },
        medicationManagement = "Metformin 500 mg bid",
        communityResources = "Diabetes class at YMCA",
        coordination = "Endocrinology referral",
        reviewDate = "2025-06-01",
        occurredAt = "2025-01-15T15:00:00Z",
    };

    [Fact]
    public async Task GivenATokenScopedToPracticeA_WhenTouchingPracticeBsPlan_Then404AndNothingChanged_AndItsOwnPatientWorks()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var nurseOfB = await factory.EnrolAsync(b.PracticeId);
        var planOfB = await factory.ClientAs("care-coordinator", nurseOfB).PostAsJsonAsync("/api/careplans/plans", Plan(b.PatientId, nurseOfB));
        Assert.Equal(HttpStatusCode.Created, planOfB.StatusCode);
        var planOfBId = (await planOfB.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var nurseOfA = await factory.EnrolAsync(a.PracticeId);
        var scoped = factory.ClientAs("care-coordinator", nurseOfA, a.PracticeId);

        await AssertOutOfScope(await scoped.GetAsync($"/api/careplans/plans/{planOfBId}"), "planId");
        await AssertOutOfScope(await scoped.GetAsync($"/api/careplans/patients/{b.PatientId}/plan"), "patientId");
        await AssertOutOfScope(await scoped.PutAsJsonAsync($"/api/careplans/plans/{planOfBId}", Plan(b.PatientId, nurseOfB)), "planId");
        await AssertOutOfScope(await scoped.PostAsJsonAsync($"/api/careplans/plans/{planOfBId}/share", new { method = "portal" }), "planId");
        await AssertOutOfScope(await scoped.PostAsJsonAsync("/api/careplans/plans", Plan(b.PatientId, nurseOfB)), "patientId");
        Assert.Equal(1, await factory.WithDb(db => db.Versions.CountAsync(v => v.CarePlanId == planOfBId)));

        var own = await scoped.PostAsJsonAsync("/api/careplans/plans", Plan(a.PatientId, nurseOfA));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/careplans/patients/{a.PatientId}/plan")).StatusCode);
    }

    [Fact]
    public async Task GivenARosterMemberTokenWithoutPracticeClaim_WhenTouchingAnotherPracticesPatient_Then404_AndItsOwnPatientWorks()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var nurseOfA = await factory.EnrolAsync(a.PracticeId);
        var member = factory.ClientAs("care-coordinator", nurseOfA);

        await AssertOutOfScope(await member.GetAsync($"/api/careplans/patients/{b.PatientId}/plan"), "patientId");
        await AssertOutOfScope(await member.PostAsJsonAsync("/api/careplans/plans", Plan(b.PatientId, nurseOfA)), "patientId");
        Assert.Equal(HttpStatusCode.Created, (await member.PostAsJsonAsync("/api/careplans/plans", Plan(a.PatientId, nurseOfA))).StatusCode);
        Assert.False(await factory.WithDb(db => db.Plans.AnyAsync(p => p.PatientId == b.PatientId)));
    }

    [Fact]
    public async Task GivenAResponsibleMemberOfAnotherPractice_WhenCreatingOrRevisingAPlan_Then404NamingTheIntervention_AndNothingWritten()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var nurseOfA = await factory.EnrolAsync(a.PracticeId);
        var nurseOfB = await factory.EnrolAsync(b.PracticeId);
        var admin = factory.ClientAs("admin");

        await AssertOutOfScope(await admin.PostAsJsonAsync("/api/careplans/plans", Plan(a.PatientId, nurseOfB)), "interventions[0].responsibleRosterId");
        var unknown = await admin.PostAsJsonAsync("/api/careplans/plans", Plan(a.PatientId, Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("interventions[0].responsibleRosterId", out _));
        Assert.False(await factory.WithDb(db => db.Plans.AnyAsync(p => p.PatientId == a.PatientId)));

        var created = await factory.ClientAs("care-coordinator", nurseOfA).PostAsJsonAsync("/api/careplans/plans", Plan(a.PatientId, nurseOfA));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var planId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var revise = new HttpRequestMessage(HttpMethod.Put, $"/api/careplans/plans/{planId}") { Content = JsonContent.Create(Plan(a.PatientId, nurseOfB)) };
        revise.Headers.IfMatch.Add(created.Headers.ETag!);
        await AssertOutOfScope(await factory.ClientAs("care-coordinator", nurseOfA).SendAsync(revise), "interventions[0].responsibleRosterId");
        Assert.Equal(1, await factory.WithDb(db => db.Versions.CountAsync(v => v.CarePlanId == planId)));
    }

    [Fact]
    public async Task GivenATokenWhoseSubjectIsNotOnThePracticesRoster_WhenWritingClinically_Then403NotOnRoster_AndNothingWritten()
    {
        var a = await SeedAsync();
        var nurseOfA = await factory.EnrolAsync(a.PracticeId);
        var stranger = factory.ClientAs("care-coordinator", Guid.NewGuid());
        var claimsPractice = factory.ClientAs("care-coordinator", Guid.NewGuid(), a.PracticeId);

        await AssertNotOnRoster(await stranger.GetAsync($"/api/careplans/patients/{a.PatientId}/plan"));
        await AssertNotOnRoster(await claimsPractice.PostAsJsonAsync("/api/careplans/plans", Plan(a.PatientId, nurseOfA)));
        await AssertNotOnRoster(await factory.ClientAs("practitioner", Guid.NewGuid(), a.PracticeId).PostAsJsonAsync($"/api/careplans/patients/{a.PatientId}/complexity", new { level = "Moderate", occurredAt = DateTime.UtcNow.AddMinutes(-1) }));
        Assert.False(await factory.WithDb(db => db.Plans.AnyAsync(p => p.PatientId == a.PatientId)));
        Assert.False(await factory.WithDb(db => db.Complexity.AnyAsync(c => c.PatientId == a.PatientId)));
    }

    private static async Task AssertNotOnRoster(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("NOT_ON_ROSTER", problem.GetProperty("rule").GetString());
    }

    private static async Task AssertOutOfScope(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PRACTICE_SCOPE", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }
}
