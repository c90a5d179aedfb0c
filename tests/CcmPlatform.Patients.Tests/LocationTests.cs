using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Patients.Tests;

/// <summary>Every 201 of Patients names a Location the caller can read back, within its practice only.</summary>
public sealed class LocationTests(PatientsFactory factory) : IClassFixture<PatientsFactory>, IAsyncLifetime
{
    private static readonly DateTime Past = new(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);

    public Task InitializeAsync() => factory.WaitHealthyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task GivenACreatedPractice_WhenItsLocationIsFollowed_ThenTheSamePracticeAnswers_AndOtherPracticesGet404()
    {
        var admin = factory.ClientAs(Roles.Admin);

        var location = await CreatedLocations.AssertFollowsAsync(admin, await admin.PostAsJsonAsync("/api/patients/practices", new { name = "Location practice", timeZone = "America/Chicago", waivesCoinsurance = false }));

        var practiceId = Guid.Parse(location.ToString().Split('/')[^1]);
        Assert.Equal(HttpStatusCode.OK, (await (await Api.MemberAsync(factory, admin, practiceId)).GetAsync(location)).StatusCode);
        await CreatedLocations.AssertNotFoundAsync(await Api.MemberAsync(factory, admin, await Api.CreatePracticeAsync(admin)), location, PracticeScope.Rule);
    }

    [Fact]
    public async Task GivenAnAddedRosterMember_WhenItsLocationIsFollowed_ThenTheSameMemberAnswers_AndOtherPracticesGet404()
    {
        var admin = factory.ClientAs(Roles.Admin);
        var a = await Api.CreatePracticeAsync(admin);
        var b = await Api.CreatePracticeAsync(admin);
        var coordinatorOfA = await Api.MemberAsync(factory, admin, a);
        var coordinatorOfB = await Api.MemberAsync(factory, admin, b);

        var location = await CreatedLocations.AssertFollowsAsync(admin, await admin.PostAsJsonAsync($"/api/patients/practices/{a}/roster",
            new { displayName = "Dr. Location", kind = "Practitioner", credential = "MD", npi = Api.Npi2, practitionerType = "Physician", activeFrom = "2020-01-01" }));

        Assert.Equal(HttpStatusCode.OK, (await coordinatorOfA.GetAsync(location)).StatusCode);
        await CreatedLocations.AssertNotFoundAsync(coordinatorOfB, location, PracticeScope.Rule);
        var memberId = location.ToString().Split('/')[^1];
        await CreatedLocations.AssertNotFoundAsync(coordinatorOfB, new Uri($"/api/patients/practices/{b}/roster/{memberId}", UriKind.Relative), PracticeScope.Rule);
        await CreatedLocations.AssertNotFoundAsync(admin, new Uri($"/api/patients/practices/{b}/roster/{memberId}", UriKind.Relative), "NOT_FOUND");
        await CreatedLocations.AssertNotFoundAsync(coordinatorOfA, new Uri($"/api/patients/practices/{a}/roster/{Guid.NewGuid()}", UriKind.Relative), "NOT_FOUND");
    }

    [Fact]
    public async Task GivenRecordsPostedUnderAPatient_WhenEachLocationIsFollowed_ThenThePatientDetailListsTheRecord_AndOtherPracticesGet404()
    {
        var admin = factory.ClientAs(Roles.Admin);
        var practiceId = await Api.CreatePracticeAsync(admin);
        var clinical = await Api.MemberAsync(factory, admin, practiceId);
        var practitionerId = await Api.AddPractitionerAsync(admin, practiceId);
        var otherPractitionerId = await Api.AddPractitionerAsync(admin, practiceId, Api.Npi2);
        var patientId = (await Api.ImportSampleAsync(clinical, practiceId, "Edward_Gulgowski")).GetProperty("patientId").GetGuid();
        var strangerPractice = await Api.CreatePracticeAsync(admin);
        var stranger = await Api.MemberAsync(factory, admin, strangerPractice);
        var billingPractitioner = (await clinical.GetFromJsonAsync<JsonElement>($"/api/patients/patients/{patientId}")).GetProperty("billingPractitionerId").GetGuid();
        var other = billingPractitioner == practitionerId ? otherPractitionerId : practitionerId;

        (string Path, object Body, string Listed)[] posts =
        [
            ("coverage", new { payer = "Medicare", mbi = "1EG4-TE5-MK73", partBStart = "2020-01-01", qmb = false, occurredAt = Past }, "coverage"),
            ("consents", Api.Consent(billingPractitioner, Past), "consents"),
            ("enrollments", new { program = "Ccm", occurredAt = Past.AddMinutes(5), reason = "two chronic conditions" }, "enrollments"),
            ("visits", new { code = "99214", practitionerId = billingPractitioner, startedAt = Past, endedAt = Past.AddMinutes(30), initiating = true, withG0506 = false }, "visits"),
            ("inpatient-stays", new { facility = "Hospital", admittedAt = Past.AddDays(1), dischargedAt = Past.AddDays(3) }, "inpatientStays"),
            ("billing-practitioner", new { practitionerId = other, effectiveFrom = Past.AddDays(5), occurredAt = Past.AddDays(5) }, "billingPractitionerAssignments"),
            ("death", new { deathDate = "2025-03-20" }, "death"),
        ];

        foreach (var (path, body, listed) in posts)
        {
            var created = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/{path}", body);
            var text = await created.Content.ReadAsStringAsync();
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST {path} answered {(int)created.StatusCode}: {text}");
            var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
            var location = created.Headers.Location!;

            var detail = await clinical.GetFromJsonAsync<JsonElement>(location);

            Assert.Equal(patientId, detail.GetProperty("id").GetGuid());
            var records = detail.GetProperty(listed);
            var ids = records.ValueKind == JsonValueKind.Array ? records.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ToList() : [records.GetProperty("id").GetGuid()];
            Assert.True(ids.Contains(id), $"GET {location} does not list the {path} record {id} under {listed}");
            await CreatedLocations.AssertNotFoundAsync(stranger, location, PracticeScope.Rule);
        }
    }
}
