using System.Net;
using System.Net.Http.Json;
using CcmPlatform.CarePlans.Data;
using CcmPlatform.Contracts;
using CcmPlatform.TestSupport;

namespace CcmPlatform.CarePlans.Tests;

/// <summary>Every 201 of CarePlans names a Location the caller can read back, within its practice only.</summary>
public sealed class LocationTests(ServiceFactory<Program, CarePlansDbContext> factory) : IClassFixture<ServiceFactory<Program, CarePlansDbContext>>
{
    private sealed record Seeded(Guid PracticeId, Guid PatientId, Guid PractitionerId, Guid NurseId);

    private async Task<Seeded> SeedAsync()
    {
        var s = new Seeded(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await factory.WithDb(db =>
        {
            db.Patients.Add(new PatientView { Id = s.PatientId, PracticeId = s.PracticeId, Name = "Pat Location", ConditionsJson = "[]" });
            db.BillingAssignments.Add(new BillingAssignment { Id = Guid.NewGuid(), PatientId = s.PatientId, PracticeId = s.PracticeId, PractitionerId = s.PractitionerId, EffectiveFrom = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc) });
            return db.SaveChangesAsync();
        });
        await factory.EnrolAsync(s.PracticeId, RosterKind.Practitioner, s.PractitionerId);
        await factory.EnrolAsync(s.PracticeId, RosterKind.ClinicalStaff, s.NurseId);
        return s;
    }

    [Fact]
    public async Task GivenACreatedPlan_WhenItsLocationIsFollowed_ThenTheSamePlanAnswers_AndOtherPracticesGet404()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var nurse = factory.ClientAs("care-coordinator", a.NurseId);

        var location = await CreatedLocations.AssertFollowsAsync(nurse, await nurse.PostAsJsonAsync("/api/careplans/plans", new
        {
            patientId = a.PatientId,
            problems = new[] { new { icd10 = "E11.9", description = "Type 2 diabetes" } },
            expectedOutcome = "A1c under 8",
            interventions = new[] { new { description = "Monthly call", responsibleRosterId = a.NurseId } },
        }));

        await CreatedLocations.AssertNotFoundAsync(factory.ClientAs("care-coordinator", b.NurseId), location, "PRACTICE_SCOPE");
    }

    [Fact]
    public async Task GivenARecordedComplexity_WhenItsLocationIsFollowed_ThenTheSameAssessmentAnswers_AndOtherPracticesGet404()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var practitioner = factory.ClientAs("practitioner", a.PractitionerId);

        var location = await CreatedLocations.AssertFollowsAsync(practitioner, await practitioner.PostAsJsonAsync($"/api/careplans/patients/{a.PatientId}/complexity", new { level = "Moderate", occurredAt = DateTime.UtcNow.AddMinutes(-1) }));

        Assert.Equal(HttpStatusCode.OK, (await factory.ClientAs("billing", await factory.EnrolAsync(a.PracticeId)).GetAsync(location)).StatusCode);
        await CreatedLocations.AssertNotFoundAsync(factory.ClientAs("care-coordinator", b.NurseId), location, "PRACTICE_SCOPE");
        var assessmentId = location.ToString().Split('/')[^1];
        var sibling = Guid.NewGuid();
        await factory.WithDb(db =>
        {
            db.Patients.Add(new PatientView { Id = sibling, PracticeId = a.PracticeId, Name = "Sibling", ConditionsJson = "[]" });
            return db.SaveChangesAsync();
        });
        await CreatedLocations.AssertNotFoundAsync(practitioner, new Uri($"/api/careplans/patients/{sibling}/complexity/{assessmentId}", UriKind.Relative), "NOT_FOUND");
        await CreatedLocations.AssertNotFoundAsync(practitioner, new Uri($"/api/careplans/patients/{a.PatientId}/complexity/{Guid.NewGuid()}", UriKind.Relative), "NOT_FOUND");
    }
}
