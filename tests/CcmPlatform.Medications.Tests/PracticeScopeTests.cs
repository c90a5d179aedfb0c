using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Medications.Data;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Medications.Tests;

/// <summary>A token scoped to practice A cannot read or change practice B's medications, reconciliations or alerts.</summary>
public sealed class PracticeScopeTests(ServiceFactory<Program, MedicationsDbContext> factory) : IClassFixture<ServiceFactory<Program, MedicationsDbContext>>
{
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
    public async Task GivenATokenScopedToPracticeA_WhenTouchingPracticeBsPatient_Then404AndNothingChanged_AndItsOwnPatientWorks()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var warfarin = new { rxNormCode = "855332", display = "Warfarin Sodium 5 MG Oral Tablet", status = "active" };
        var added = await (await factory.MemberAsync("care-coordinator", b.PracticeId)).PostAsJsonAsync($"/api/medications/patients/{b.PatientId}/medications", warfarin);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var medicationOfB = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var scoped = factory.ClientAs("care-coordinator", await factory.EnrolAsync(a.PracticeId), a.PracticeId);

        await AssertOutOfScope(await scoped.GetAsync($"/api/medications/patients/{b.PatientId}/medications"), "patientId");
        await AssertOutOfScope(await scoped.GetAsync($"/api/medications/patients/{b.PatientId}/alerts"), "patientId");
        await AssertOutOfScope(await scoped.PostAsJsonAsync($"/api/medications/patients/{b.PatientId}/medications", warfarin), "patientId");
        await AssertOutOfScope(await scoped.PostAsJsonAsync($"/api/medications/patients/{b.PatientId}/medications/{medicationOfB}/status", new { status = "stopped" }), "patientId");
        await AssertOutOfScope(await scoped.PostAsJsonAsync($"/api/medications/patients/{a.PatientId}/medications/{medicationOfB}/status", new { status = "stopped" }), "medicationId");
        Assert.Equal(1, await factory.WithDb(db => db.Medications.CountAsync(m => m.PatientId == b.PatientId && m.Status == MedicationStatus.Active)));

        Assert.Equal(HttpStatusCode.Created, (await scoped.PostAsJsonAsync($"/api/medications/patients/{a.PatientId}/medications", warfarin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/medications/patients/{a.PatientId}/medications")).StatusCode);
    }

    [Fact]
    public async Task GivenARosterMemberTokenWithoutPracticeClaim_WhenTouchingAnotherPracticesPatient_Then404_AndItsOwnPatientWorks()
    {
        var a = await SeedAsync();
        var b = await SeedAsync();
        var member = await factory.MemberAsync("care-coordinator", a.PracticeId);
        var warfarin = new { rxNormCode = "855332", display = "Warfarin", status = "active" };

        await AssertOutOfScope(await member.GetAsync($"/api/medications/patients/{b.PatientId}/medications"), "patientId");
        await AssertOutOfScope(await member.PostAsJsonAsync($"/api/medications/patients/{b.PatientId}/medications", warfarin), "patientId");
        Assert.Equal(HttpStatusCode.Created, (await member.PostAsJsonAsync($"/api/medications/patients/{a.PatientId}/medications", warfarin)).StatusCode);
        Assert.Equal(0, await factory.WithDb(db => db.Medications.CountAsync(m => m.PatientId == b.PatientId)));
    }

    [Fact]
    public async Task GivenATokenWhoseSubjectIsOnNoRoster_WhenReadingOrWriting_Then403NotOnRoster_AndNothingWritten()
    {
        var a = await SeedAsync();
        var warfarin = new { rxNormCode = "855332", display = "Warfarin", status = "active" };
        var stranger = factory.ClientAs("care-coordinator", Guid.NewGuid());
        var claimsPractice = factory.ClientAs("care-coordinator", Guid.NewGuid(), a.PracticeId);

        await AssertNotOnRoster(await stranger.GetAsync($"/api/medications/patients/{a.PatientId}/medications"));
        await AssertNotOnRoster(await stranger.PostAsJsonAsync($"/api/medications/patients/{a.PatientId}/medications", warfarin));
        Assert.Equal(HttpStatusCode.OK, (await claimsPractice.GetAsync($"/api/medications/patients/{a.PatientId}/medications")).StatusCode);
        await AssertNotOnRoster(await claimsPractice.PostAsJsonAsync($"/api/medications/patients/{a.PatientId}/medications", warfarin));
        await AssertNotOnRoster(await claimsPractice.PostAsJsonAsync($"/api/medications/patients/{a.PatientId}/reconciliations", new { discrepancies = "none" }));
        Assert.Equal(0, await factory.WithDb(db => db.Medications.CountAsync(m => m.PatientId == a.PatientId)));
        Assert.Equal(0, await factory.WithDb(db => db.Reconciliations.CountAsync(r => r.PatientId == a.PatientId)));
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
