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
        var admin = factory.ClientAs(Roles.Admin);
        var practiceId = await Api.CreatePracticeAsync(admin);
        var clinical = await Api.MemberAsync(factory, admin, practiceId);
        var practitionerId = await Api.AddPractitionerAsync(admin, practiceId);
        var result = await Api.ImportSampleAsync(clinical, practiceId, "Edward_Gulgowski");
        return (practiceId, practitionerId, result.GetProperty("patientId").GetGuid());
    }

    [Fact]
    public async Task GivenATokenScopedToPracticeA_WhenTouchingPracticeBsPatient_Then404AndNothingStored_AndItsOwnPatientWorks()
    {
        var a = await ImportedPatientAsync();
        var b = await ImportedPatientAsync();
        var scoped = factory.ClientAs(Roles.CareCoordinator, await Api.EnrolAsync(factory.ClientAs(Roles.Admin), a.PracticeId), a.PracticeId);

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

    [Fact]
    public async Task GivenARosterMemberTokenWithoutPracticeClaim_WhenTouchingAnotherPracticesPatient_Then404_AndOnlyItsPracticeIsListed()
    {
        var a = await ImportedPatientAsync();
        var b = await ImportedPatientAsync();
        var member = await Api.MemberAsync(factory, factory.ClientAs(Roles.Admin), a.PracticeId);

        await AssertOutOfScope(await member.GetAsync($"/api/patients/patients/{b.PatientId}"), "patientId");
        await AssertOutOfScope(await member.PostAsJsonAsync($"/api/patients/patients/{b.PatientId}/consents", Api.Consent(b.PractitionerId, Past)), "patientId");
        Assert.Equal(0, await factory.WithDb(db => db.Consents.CountAsync(c => c.PatientId == b.PatientId)));
        var listed = await member.GetFromJsonAsync<List<JsonElement>>("/api/patients");
        Assert.Equal(a.PracticeId, Assert.Single(listed!).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync($"/api/patients/patients/{a.PatientId}")).StatusCode);
    }

    [Fact]
    public async Task GivenATokenWhoseSubjectIsNotOnThePracticesRoster_WhenCalling_Then403NotOnRoster_AndNothingWritten()
    {
        var a = await ImportedPatientAsync();
        var stranger = factory.ClientAs(Roles.CareCoordinator, Guid.NewGuid());
        var claimsPractice = factory.ClientAs(Roles.CareCoordinator, Guid.NewGuid(), a.PracticeId);

        await AssertNotOnRoster(await stranger.GetAsync("/api/patients"));
        await AssertNotOnRoster(await stranger.GetAsync($"/api/patients/patients/{a.PatientId}"));
        Assert.Equal(HttpStatusCode.OK, (await claimsPractice.GetAsync($"/api/patients/patients/{a.PatientId}")).StatusCode);
        await AssertNotOnRoster(await claimsPractice.PostAsJsonAsync($"/api/patients/patients/{a.PatientId}/consents", Api.Consent(a.PractitionerId, Past)));
        await AssertNotOnRoster(await Api.ImportAsync(claimsPractice, a.PracticeId, "{}"));
        Assert.Equal(0, await factory.WithDb(db => db.Consents.CountAsync(c => c.PatientId == a.PatientId)));
    }

    [Theory]
    [InlineData("visits")]
    [InlineData("billing-practitioner")]
    [InlineData("consents")]
    public async Task GivenAPractitionerOfAnotherPracticeInTheBody_WhenRecorded_ThenRefusedNamingPractitionerId_AndNothingWritten(string action)
    {
        var a = await ImportedPatientAsync();
        var b = await ImportedPatientAsync();
        var admin = factory.ClientAs(Roles.Admin);
        var nurseOfA = await Api.EnrolAsync(admin, a.PracticeId);
        object Body(Guid practitionerId) => action switch
        {
            "visits" => new { code = "99214", practitionerId, startedAt = Past, endedAt = Past.AddMinutes(30), initiating = true, withG0506 = false },
            "billing-practitioner" => new { practitionerId, effectiveFrom = Past, occurredAt = Past },
            _ => Api.Consent(practitionerId, Past),
        };
        var before = await factory.WithDb(db => Task.FromResult((db.Visits.Count(), db.BillingPractitionerAssignments.Count(), db.Consents.Count())));

        foreach (var (client, practitioner) in new[] { (admin, b.PractitionerId), (await Api.MemberAsync(factory, admin, a.PracticeId), b.PractitionerId), (admin, nurseOfA) })
        {
            var response = await client.PostAsJsonAsync($"/api/patients/patients/{a.PatientId}/{action}", Body(practitioner));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Api.AssertProblem(await Api.ProblemAsync(response), "R-ELIG-4", "practitionerId");
        }

        Assert.Equal(before, await factory.WithDb(db => Task.FromResult((db.Visits.Count(), db.BillingPractitionerAssignments.Count(), db.Consents.Count()))));
    }

    private static async Task AssertNotOnRoster(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(PracticeScope.RosterRule, (await Api.ProblemAsync(response)).GetProperty("rule").GetString());
    }

    private static async Task AssertOutOfScope(HttpResponseMessage response, string field)
        => Api.AssertProblem(await Api.ProblemAsync(response), PracticeScope.Rule, field);
}
