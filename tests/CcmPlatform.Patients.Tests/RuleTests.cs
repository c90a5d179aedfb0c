using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Contracts;
using CcmPlatform.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Patients.Tests;

public sealed class RuleTests(PatientsFactory factory) : IClassFixture<PatientsFactory>, IAsyncLifetime
{
    private static readonly DateTime Past = new(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);

    public Task InitializeAsync() => factory.WaitHealthyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpClient Clinical, Guid PracticeId, Guid PractitionerId, Guid PatientId)> ImportedPatientAsync(string sample = "Edward_Gulgowski")
    {
        var admin = factory.ClientAs(Roles.Admin);
        var practiceId = await Api.CreatePracticeAsync(admin);
        var clinical = await Api.MemberAsync(factory, admin, practiceId);
        var practitionerId = await Api.AddPractitionerAsync(admin, practiceId);
        var result = await Api.ImportSampleAsync(clinical, practiceId, sample);
        return (clinical, practiceId, practitionerId, result.GetProperty("patientId").GetGuid());
    }

    [Fact]
    [Trait("Rule", "R-ELIG-4")]
    public async Task GivenPractitionerWithInvalidNpi_WhenRegistered_Then422NamingNpi()
    {
        var admin = factory.ClientAs(Roles.Admin);
        var practiceId = await Api.CreatePracticeAsync(admin);

        var response = await admin.PostAsJsonAsync($"/api/patients/practices/{practiceId}/roster", new
        {
            displayName = "Dr. Wrong",
            kind = "Practitioner",
            credential = "MD",
            npi = "1234567890",
            activeFrom = "2024-01-01",
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(response), "R-ELIG-4", "npi");
        Assert.Equal(0, await factory.WithDb(db => db.RosterMembers.CountAsync(r => r.PracticeId == practiceId)));
    }

    [Fact]
    [Trait("Rule", "R-TIME-2")]
    public async Task GivenUnknownTimeZone_WhenPracticeCreated_Then422NamingTimeZone()
    {
        var admin = factory.ClientAs(Roles.Admin);

        var response = await admin.PostAsJsonAsync("/api/patients/practices", new { name = "Nowhere", timeZone = "Mars/Olympus_Mons", waivesCoinsurance = false });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(response), "R-TIME-2", "timeZone");
    }

    [Fact]
    public async Task GivenCareCoordinator_WhenCreatingPractice_ThenForbidden()
    {
        var response = await factory.ClientAs(Roles.CareCoordinator).PostAsJsonAsync("/api/patients/practices", new { name = "X", timeZone = "UTC", waivesCoinsurance = false });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GivenBillingRole_WhenImporting_ThenForbidden()
    {
        var admin = factory.ClientAs(Roles.Admin);
        var practiceId = await Api.CreatePracticeAsync(admin);

        var response = await Api.ImportAsync(factory.ClientAs(Roles.Billing), practiceId, "{}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GivenNewPractice_WhenCreated_ThenPracticeCreatedRowIsInTheOutbox()
    {
        var practiceId = await Api.CreatePracticeAsync(factory.ClientAs(Roles.Admin));

        var rows = await factory.WithDb(db => db.OutboxMessages
            .Where(m => m.MessageType == typeof(PracticeCreated).FullName && m.Payload.Contains(practiceId.ToString()))
            .ToListAsync());

        Assert.Single(rows);
    }

    [Fact]
    [Trait("Rule", "R-FACT-1")]
    public async Task GivenFutureOccurredAt_WhenCoverageRecorded_Then422AndNothingSaved()
    {
        var (clinical, _, _, patientId) = await ImportedPatientAsync();

        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/coverage", new
        {
            payer = "Medicare",
            mbi = "1EG4-TE5-MK73",
            partBStart = "2020-01-01",
            qmb = false,
            occurredAt = DateTime.UtcNow.AddDays(2),
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(response), "R-FACT-1", "occurredAt");
        Assert.Equal(0, await factory.WithDb(db => db.Coverages.CountAsync(c => c.PatientId == patientId)));
    }

    [Fact]
    [Trait("Rule", "R-FACT-1")]
    public async Task GivenFutureOccurredAt_WhenConsentRecorded_Then422()
    {
        var (clinical, _, practitionerId, patientId) = await ImportedPatientAsync();

        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents", Api.Consent(practitionerId, DateTime.UtcNow.AddHours(3)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(response), "R-FACT-1", "occurredAt");
    }

    [Fact]
    [Trait("Rule", "R-ELIG-5")]
    public async Task GivenCoverage_WhenEligibilityRequested_ThenBillableInsidePartBOnly()
    {
        var (clinical, practiceId, _, patientId) = await ImportedPatientAsync();
        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/coverage", new
        {
            payer = "Medicare",
            mbi = "1EG4-TE5-MK73",
            partBStart = "2024-01-01",
            qmb = true,
            occurredAt = Past,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        async Task<bool> BillableOn(string date)
        {
            var rows = JsonDocument.Parse(await clinical.GetStringAsync($"/api/patients/practices/{practiceId}/eligibility?asOf={date}")).RootElement;
            return rows.EnumerateArray().Single(r => r.GetProperty("patientId").GetGuid() == patientId).GetProperty("billable").GetBoolean();
        }

        Assert.False(await BillableOn("2023-12-31"));
        Assert.True(await BillableOn("2024-01-01"));
    }

    [Fact]
    [Trait("Rule", "R-CONS-1")]
    public async Task GivenNoConsent_WhenEnrolling_Then422()
    {
        var (clinical, _, _, patientId) = await ImportedPatientAsync();

        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/enrollments", new { program = "Ccm", occurredAt = Past, reason = "two chronic conditions" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(response), "R-CONS-1", "program");
        Assert.Equal(0, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(PatientEnrolled).FullName && m.Payload.Contains(patientId.ToString()))));
    }

    [Fact]
    public async Task GivenConsentThenEnrollmentWithProgramAsNumber_WhenPosted_Then400MalformedNamingProgramAndNothingStored()
    {
        var (clinical, _, practitionerId, patientId) = await ImportedPatientAsync();
        static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

        var consent = await clinical.PostAsync($"/api/patients/patients/{patientId}/consents", Json($$"""{"program":42,"practitionerId":"{{practitionerId}}","method":"Verbal","occurredAt":"2025-03-10T14:00:00Z","informedCostSharing":true,"informedRightToStop":true,"informedSinglePractitioner":true,"informedElectronicSharing":true,"declined":false}"""));
        Assert.Equal(HttpStatusCode.BadRequest, consent.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(consent), "MALFORMED_REQUEST", "program");

        Assert.Equal(HttpStatusCode.Created, (await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents", Api.Consent(practitionerId, Past))).StatusCode);
        var enroll = await clinical.PostAsync($"/api/patients/patients/{patientId}/enrollments", Json("""{"program":42,"occurredAt":"2025-03-10T14:05:00Z","reason":"confirmed"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, enroll.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(enroll), "MALFORMED_REQUEST", "program");

        var detail = JsonDocument.Parse(await clinical.GetStringAsync($"/api/patients/patients/{patientId}")).RootElement;
        Assert.Single(detail.GetProperty("consents").EnumerateArray());
        Assert.DoesNotContain(detail.GetProperty("enrollments").EnumerateArray(), e => e.GetProperty("state").GetString() == "Enrolled");
    }

    [Fact]
    public async Task GivenRosterKindAsNumber_WhenMemberAdded_Then400MalformedNamingKind()
    {
        var admin = factory.ClientAs(Roles.Admin);
        var practiceId = await Api.CreatePracticeAsync(admin);

        var response = await admin.PostAsync($"/api/patients/practices/{practiceId}/roster", new StringContent("""{"displayName":"Staff Five","kind":5,"credential":"RN","activeFrom":"2020-01-01"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(response), "MALFORMED_REQUEST", "kind");
    }

    [Fact]
    [Trait("Rule", "R-CONS-1")]
    public async Task GivenConsentMissingADisclosure_WhenRecorded_Then422NamingIt()
    {
        var (clinical, _, practitionerId, patientId) = await ImportedPatientAsync();

        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents", new
        {
            program = "Ccm",
            practitionerId,
            method = "Verbal",
            occurredAt = Past,
            informedCostSharing = true,
            informedRightToStop = false,
            informedSinglePractitioner = true,
            informedElectronicSharing = true,
            declined = false,
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(response), "R-CONS-1", "informedRightToStop");
    }

    [Fact]
    [Trait("Rule", "R-CONS-1")]
    public async Task GivenConsent_WhenEnrolling_ThenEnrolledWithHistoryAndObtainedByCaller()
    {
        var (_, practiceId, practitionerId, patientId) = await ImportedPatientAsync();
        var callerId = await Api.EnrolAsync(factory.ClientAs(Roles.Admin), practiceId);
        var clinical = factory.ClientAs(Roles.CareCoordinator, callerId);

        var consent = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents", Api.Consent(practitionerId, Past));
        Assert.Equal(HttpStatusCode.Created, consent.StatusCode);
        var enroll = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/enrollments", new { program = "Ccm", occurredAt = Past.AddMinutes(5), reason = "confirmed" });
        Assert.Equal(HttpStatusCode.Created, enroll.StatusCode);

        var detail = JsonDocument.Parse(await clinical.GetStringAsync($"/api/patients/patients/{patientId}")).RootElement;
        Assert.Equal(callerId, detail.GetProperty("consents")[0].GetProperty("obtainedBy").GetGuid());
        var ccm = detail.GetProperty("enrollments").EnumerateArray().Single(e => e.GetProperty("program").GetString() == "Ccm");
        Assert.Equal("Enrolled", ccm.GetProperty("state").GetString());
        var last = ccm.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("Enrolled", last.GetProperty("to").GetString());
        Assert.Equal(callerId, last.GetProperty("changedBy").GetGuid());
    }

    [Fact]
    [Trait("Rule", "R-CONS-3")]
    public async Task GivenEnrolledPatient_WhenConsentRevoked_ThenEffectiveAtEndOfLocalMonth()
    {
        var (clinical, _, practitionerId, patientId) = await ImportedPatientAsync();
        var consent = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents", Api.Consent(practitionerId, Past));
        var consentId = (await consent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/enrollments", new { program = "Ccm", occurredAt = Past, reason = "confirmed" });

        // 2025-05-01T02:00Z is still April 30 in New York: the revocation ends April there.
        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents/{consentId}/revoke", new { occurredAt = new DateTime(2025, 5, 1, 2, 0, 0, DateTimeKind.Utc), reason = "patient request" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(new DateTime(2025, 5, 1, 4, 0, 0, DateTimeKind.Utc), body.GetProperty("revocationEffectiveAt").GetDateTime().ToUniversalTime());
        Assert.Equal(1, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(ConsentRevoked).FullName && m.Payload.Contains(consentId.ToString()))));
    }

    [Fact]
    [Trait("Rule", "R-CONS-2")]
    public async Task GivenBillingPractitionerChanged_WhenEnrollingWithOldConsent_Then422()
    {
        var (clinical, practiceId, practitionerId, patientId) = await ImportedPatientAsync();
        var other = await Api.AddPractitionerAsync(factory.ClientAs(Roles.Admin), practiceId, Api.Npi2);
        await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents", Api.Consent(practitionerId, Past));

        var assign = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/billing-practitioner", new { practitionerId = other, effectiveFrom = Past.AddDays(1), occurredAt = Past.AddDays(1) });
        Assert.Equal(HttpStatusCode.Created, assign.StatusCode);
        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/enrollments", new { program = "Ccm", occurredAt = Past.AddDays(2), reason = "x" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(response), "R-CONS-2", "program");
    }

    [Fact]
    [Trait("Rule", "R-INIT-2")]
    public async Task GivenG0506Recorded_WhenSecondG0506Recorded_Then422()
    {
        var (clinical, _, practitionerId, patientId) = await ImportedPatientAsync();
        object Visit(DateTime start) => new { code = "99214", practitionerId, startedAt = start, endedAt = start.AddMinutes(30), initiating = true, withG0506 = true };

        var first = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/visits", Visit(Past));
        var second = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/visits", Visit(Past.AddDays(7)));

        Assert.True(first.StatusCode == HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(second), "R-INIT-2", "withG0506");
        Assert.Equal(1, await factory.WithDb(db => db.Visits.CountAsync(v => v.PatientId == patientId)));
        Assert.Equal(1, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(InitiatingVisitRecorded).FullName && m.Payload.Contains(patientId.ToString()))));
    }

    [Fact]
    [Trait("Rule", "R-INIT-1")]
    public async Task GivenNonInitiatingCode_WhenRecordedAsInitiating_Then422()
    {
        var (clinical, _, practitionerId, patientId) = await ImportedPatientAsync();

        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/visits", new { code = "99211", practitionerId, startedAt = Past, endedAt = Past.AddMinutes(10), initiating = true, withG0506 = false });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(response), "R-INIT-1", "code");
    }

    [Fact]
    [Trait("Rule", "R-FACT-1")]
    public async Task GivenFutureVisit_WhenRecorded_Then422()
    {
        var (clinical, _, practitionerId, patientId) = await ImportedPatientAsync();
        var start = DateTime.UtcNow.AddDays(1);

        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/visits", new { code = "99214", practitionerId, startedAt = start, endedAt = start.AddMinutes(20), initiating = true, withG0506 = false });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(response), "R-FACT-1", "startedAt");
    }

    [Fact]
    public async Task GivenDeceasedImportedPatient_WhenEnrollingEvenWithConsentAttempt_ThenNeverEnrolled()
    {
        var (clinical, _, practitionerId, patientId) = await ImportedPatientAsync("Parker_Casper");

        var consent = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents", Api.Consent(practitionerId, Past));
        var enroll = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/enrollments", new { program = "Ccm", occurredAt = Past, reason = "x" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, consent.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, enroll.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(enroll), "PATIENT_DECEASED", "patientId");
        Assert.Equal(0, await factory.WithDb(db => db.Enrollments.CountAsync(e => e.PatientId == patientId && e.State == Data.EnrollmentState.Enrolled)));
    }

    [Fact]
    public async Task GivenEnrolledPatient_WhenDeathRecorded_ThenDisenrolledAndDeceased()
    {
        var (clinical, _, practitionerId, patientId) = await ImportedPatientAsync();
        await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents", Api.Consent(practitionerId, Past));
        await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/enrollments", new { program = "Ccm", occurredAt = Past, reason = "x" });

        var death = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/death", new { deathDate = "2025-04-02" });
        Assert.Equal(HttpStatusCode.Created, death.StatusCode);

        var detail = JsonDocument.Parse(await clinical.GetStringAsync($"/api/patients/patients/{patientId}")).RootElement;
        Assert.All(detail.GetProperty("enrollments").EnumerateArray(), e => Assert.Equal("Deceased", e.GetProperty("state").GetString()));
        Assert.Equal(1, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(PatientDisenrolled).FullName && m.Payload.Contains(patientId.ToString()))));
        var again = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/enrollments", new { program = "Ccm", occurredAt = Past, reason = "x" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
    }

    [Fact]
    public async Task GivenInpatientStay_WhenRecorded_ThenEventStaged()
    {
        var (clinical, _, _, patientId) = await ImportedPatientAsync();

        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/inpatient-stays", new { facility = "Hospital", admittedAt = Past, dischargedAt = Past.AddDays(3) });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(InpatientStayRecorded).FullName && m.Payload.Contains(patientId.ToString()))));
    }

    [Fact]
    public async Task GivenAPracticeNameOverTwoHundredCharacters_WhenCreated_Then400FieldTooLongAndNoPractice()
    {
        var admin = factory.ClientAs(Roles.Admin);
        var name = "Practice " + new string('p', 200);

        var response = await admin.PostAsJsonAsync("/api/patients/practices", new { name, timeZone = "America/New_York" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FIELD_TOO_LONG", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
        Assert.Equal(0, await factory.WithDb(db => db.Practices.CountAsync(p => p.Name == name)));
    }

    [Fact]
    public async Task GivenADisenrollmentReasonOverTwoThousandCharacters_WhenPosted_Then400FieldTooLong()
    {
        var (clinical, _, _, patientId) = await ImportedPatientAsync();

        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/disenrollments", new { program = "Ccm", occurredAt = Past, reason = new string('r', 2001) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FIELD_TOO_LONG", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
    }
}
