using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Patients.Tests;

/// <summary>The request examples in /docs are meant to be pasted: sent with real ids, the service accepts each.</summary>
public sealed class OpenApiExampleTests(PatientsFactory factory) : IClassFixture<PatientsFactory>, IAsyncLifetime
{
    public Task InitializeAsync() => factory.WaitHealthyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GivenTheOnboardingExamples_WhenPostedInOrder_ThenPracticeRosterImportAndCoverageAreAccepted()
    {
        var admin = factory.ClientAs(Roles.Admin);
        async Task<HttpContent> Example(string path) => await OpenApiDocuments.RequestExampleAsync(factory.Services, "POST", path);

        var practice = await admin.PostAsync("/api/patients/practices", await Example("/api/patients/practices"));
        Assert.Equal(HttpStatusCode.Created, practice.StatusCode);
        var practiceId = (await practice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var roster = await admin.PostAsync($"/api/patients/practices/{practiceId}/roster", await Example("/api/patients/practices/{practiceId}/roster"));
        Assert.Equal(HttpStatusCode.Created, roster.StatusCode);
        var clinical = await Api.MemberAsync(factory, admin, practiceId);
        var import = await clinical.PostAsync($"/api/patients/practices/{practiceId}/import", await Example("/api/patients/practices/{practiceId}/import"));
        Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync());
        var patientId = (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("patientId").GetGuid();
        var coverage = await clinical.PostAsync($"/api/patients/patients/{patientId}/coverage", await Example("/api/patients/patients/{patientId}/coverage"));

        Assert.Equal(HttpStatusCode.Created, coverage.StatusCode);
    }
}
