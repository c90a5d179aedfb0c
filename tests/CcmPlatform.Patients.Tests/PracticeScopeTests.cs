using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Patients.Tests;

/// <summary>A token scoped to practice A cannot read or change practice B's practice, roster or patients.</summary>
public sealed class PracticeScopeTests(PatientsFactory factory) : IClassFixture<PatientsFactory>, IAsyncLifetime
{
    private static readonly DateTime Past = new(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);

    public Task InitializeAsync() => factory.WaitHealthyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(Guid PracticeId, Guid PractitionerId, Guid PatientId)> ImportedPatientAsync()
    {
        var (admin, clinical) = Api.Clients(factory);
        var practiceId = await Api.CreatePracticeAsync(admin);
        var practitionerId = await Api.AddPractitionerAsync(admin, practiceId);
        var result = await Api.ImportSampleAsync(clinical, practiceId, "Edward_Gulgowski");
        return (practiceId, practitionerId, result.GetProperty("patientId").GetGuid());
    }

    [Fact]
    public async Task GivenATokenScopedToPracticeA_WhenTouchingPracticeBsPatient_Then404AndNothingStored_AndItsOwnPatientWorks()
    {
        var a = await ImportedPatientAsync();
        var b = await ImportedPatientAsync();
        var scoped = factory.ClientAs(Roles.CareCoordinator, Guid.NewGuid(), a.PracticeId);

        await AssertOutOfScope(await scoped.GetAsync($"/api/patients/patients/{b.PatientId}"), "patientId");
        await AssertOutOfScope(await scoped.GetAsync($"/api/patients/practices/{b.PracticeId}/patients"), "practiceId");
        await AssertOutOfScope(await scoped.GetAsync($"/api/patients/practices/{b.PracticeId}/roster"), "practiceId");
        await AssertOutOfScope(await scoped.PostAsJsonAsync($"/api/patients/patients/{b.PatientId}/consents", Api.Consent(b.PractitionerId, Past)), "patientId");
        Assert.Equal(0, await factory.WithDb(db => db.Consents.CountAsync(c => c.PatientId == b.PatientId)));

        var listed = await scoped.GetFromJsonAsync<List<JsonElement>>("/api/patients");
        Assert.Equal(a.PracticeId, Assert.Single(listed!).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/patients/patients/{a.PatientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await scoped.PostAsJsonAsync($"/api/patients/patients/{a.PatientId}/consents", Api.Consent(a.PractitionerId, Past))).StatusCode);
    }

    private static async Task AssertOutOfScope(HttpResponseMessage response, string field)
        => Api.AssertProblem(await Api.ProblemAsync(response), PracticeScope.Rule, field);
}
