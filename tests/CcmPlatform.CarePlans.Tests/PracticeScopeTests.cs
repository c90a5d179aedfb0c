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

    private static object Plan(Guid patientId) => new
    {
        patientId,
        problems = new[] { new { icd10 = "E11.9", description = "Type 2 diabetes" } },
        expectedOutcome = "A1c under 8",
        prognosis = "Good with adherence",
        goals = new[] { new { description = "A1c", target = "< 8%", targetDate = "2025-09-01" } },
        symptomManagement = "Hypoglycaemia plan",
        interventions = new[] { new { description = "Monthly call", responsibleRosterId = Guid.NewGuid() } },
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
        var planOfB = await factory.ClientAs("care-coordinator").PostAsJsonAsync("/api/careplans/plans", Plan(b.PatientId));
        Assert.Equal(HttpStatusCode.Created, planOfB.StatusCode);
        var planOfBId = (await planOfB.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var scoped = factory.ClientAs("care-coordinator", Guid.NewGuid(), a.PracticeId);

        await AssertOutOfScope(await scoped.GetAsync($"/api/careplans/plans/{planOfBId}"), "planId");
        await AssertOutOfScope(await scoped.GetAsync($"/api/careplans/patients/{b.PatientId}/plan"), "patientId");
        await AssertOutOfScope(await scoped.PutAsJsonAsync($"/api/careplans/plans/{planOfBId}", Plan(b.PatientId)), "planId");
        await AssertOutOfScope(await scoped.PostAsJsonAsync($"/api/careplans/plans/{planOfBId}/share", new { method = "portal" }), "planId");
        await AssertOutOfScope(await scoped.PostAsJsonAsync("/api/careplans/plans", Plan(b.PatientId)), "patientId");
        Assert.Equal(1, await factory.WithDb(db => db.Versions.CountAsync(v => v.CarePlanId == planOfBId)));

        var own = await scoped.PostAsJsonAsync("/api/careplans/plans", Plan(a.PatientId));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/careplans/patients/{a.PatientId}/plan")).StatusCode);
    }

    private static async Task AssertOutOfScope(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PRACTICE_SCOPE", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }
}
