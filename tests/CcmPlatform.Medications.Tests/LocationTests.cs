using System.Net.Http.Json;
using CcmPlatform.Medications.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Medications.Tests;

/// <summary>Every 201 of Medications names a Location the caller can read back, within its practice only.</summary>
public sealed class LocationTests(ServiceFactory<Program, MedicationsDbContext> factory) : IClassFixture<ServiceFactory<Program, MedicationsDbContext>>
{
    private static readonly object Warfarin = new { rxNormCode = "855332", display = "Warfarin Sodium 5 MG Oral Tablet", status = "active" };

    private async Task<(Guid PracticeId, Guid PatientId)> SeedAsync()
    {
        var (practiceId, patientId) = (Guid.NewGuid(), Guid.NewGuid());
        await factory.WithDb(db =>
        {
            db.Patients.Add(new PatientView { Id = patientId, PracticeId = practiceId });
            return db.SaveChangesAsync();
        });
        return (practiceId, patientId);
    }

    [Fact]
    public async Task GivenAnAddedMedication_WhenItsLocationIsFollowed_ThenTheSameMedicationAnswers_AndOtherPracticesGet404()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var caller = await factory.MemberAsync("care-coordinator", a.PracticeId);

        var location = await CreatedLocations.AssertFollowsAsync(caller, await caller.PostAsJsonAsync($"/api/medications/patients/{a.PatientId}/medications", Warfarin));

        await CreatedLocations.AssertNotFoundAsync(await factory.MemberAsync("care-coordinator", b.PracticeId), location, "PRACTICE_SCOPE");
        var medicationId = location.ToString().Split('/')[^1];
        var sibling = await SeedSamePracticeAsync(a.PracticeId);
        await CreatedLocations.AssertNotFoundAsync(caller, new Uri($"/api/medications/patients/{sibling}/medications/{medicationId}", UriKind.Relative), "NOT_FOUND");
        await CreatedLocations.AssertNotFoundAsync(caller, new Uri($"/api/medications/patients/{a.PatientId}/medications/{Guid.NewGuid()}", UriKind.Relative), "NOT_FOUND");
    }

    [Fact]
    public async Task GivenARecordedReconciliation_WhenItsLocationIsFollowed_ThenTheSameReconciliationAnswers_AndOtherPracticesGet404()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var caller = await factory.MemberAsync("care-coordinator", a.PracticeId);
        var body = new { discrepancies = "Patient stopped warfarin", changes = new[] { new { rxNormCode = "855332", display = "Warfarin", status = "stopped" } } };

        var location = await CreatedLocations.AssertFollowsAsync(caller, await caller.PostAsJsonAsync($"/api/medications/patients/{a.PatientId}/reconciliations", body));

        await CreatedLocations.AssertNotFoundAsync(await factory.MemberAsync("billing", b.PracticeId), location, "PRACTICE_SCOPE");
        var reconciliationId = location.ToString().Split('/')[^1];
        var sibling = await SeedSamePracticeAsync(a.PracticeId);
        await CreatedLocations.AssertNotFoundAsync(caller, new Uri($"/api/medications/patients/{sibling}/reconciliations/{reconciliationId}", UriKind.Relative), "NOT_FOUND");
        await CreatedLocations.AssertNotFoundAsync(caller, new Uri($"/api/medications/patients/{a.PatientId}/reconciliations/{Guid.NewGuid()}", UriKind.Relative), "NOT_FOUND");
    }

    private async Task<Guid> SeedSamePracticeAsync(Guid practiceId)
    {
        var patientId = Guid.NewGuid();
        await factory.WithDb(db =>
        {
            db.Patients.Add(new PatientView { Id = patientId, PracticeId = practiceId });
            return db.SaveChangesAsync();
        });
        return patientId;
    }
}
