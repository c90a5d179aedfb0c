using System.Net;
using System.Net.Http.Json;
using CcmPlatform.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Patients.Tests;

/// <summary>DATE_OUT_OF_RANGE (docs/rules.md): dates no real record could carry are refused, naming the field.</summary>
public sealed class DateRangeTests(PatientsFactory factory) : IClassFixture<PatientsFactory>, IAsyncLifetime
{
    private const string Rule = "DATE_OUT_OF_RANGE";

    public Task InitializeAsync() => factory.WaitHealthyAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpClient Admin, HttpClient Clinical, Guid PracticeId, Guid PractitionerId, Guid PatientId)> ImportedPatientAsync()
    {
        var admin = factory.ClientAs(Roles.Admin);
        var practiceId = await Api.CreatePracticeAsync(admin);
        var clinical = await Api.MemberAsync(factory, admin, practiceId);
        var practitionerId = await Api.AddPractitionerAsync(admin, practiceId);
        var result = await Api.ImportSampleAsync(clinical, practiceId, "Edward_Gulgowski");
        return (admin, clinical, practiceId, practitionerId, result.GetProperty("patientId").GetGuid());
    }

    private static async Task AssertOutOfRangeAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Api.AssertProblem(await Api.ProblemAsync(response), Rule, field);
    }

    [Fact]
    public async Task GivenAConsentDatedBeforeTheCcmCodes_WhenRecorded_Then422NamingOccurredAt_AndNothingSaved()
    {
        var (_, clinical, _, practitionerId, patientId) = await ImportedPatientAsync();

        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents", Api.Consent(practitionerId, new DateTime(1850, 3, 1, 12, 0, 0, DateTimeKind.Utc))), "occurredAt");
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents", Api.Consent(practitionerId, new DateTime(2014, 12, 31, 12, 0, 0, DateTimeKind.Utc), declined: true)), "occurredAt");

        Assert.Equal(0, await factory.WithDb(db => db.Consents.CountAsync(c => c.PatientId == patientId)));
    }

    [Fact]
    public async Task GivenAnEnrollmentDatedBeforeTheCcmCodes_WhenEnrolled_Then422NamingOccurredAt()
    {
        var (_, clinical, _, practitionerId, patientId) = await ImportedPatientAsync();
        var consentAt = new DateTime(2015, 1, 2, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal(HttpStatusCode.Created, (await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents", Api.Consent(practitionerId, consentAt))).StatusCode);

        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/enrollments", new { program = "Ccm", occurredAt = new DateTime(1999, 1, 1, 0, 0, 0, DateTimeKind.Utc), reason = "typo" }), "occurredAt");
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/disenrollments", new { program = "Ccm", occurredAt = new DateTime(1999, 1, 1, 0, 0, 0, DateTimeKind.Utc), reason = "typo" }), "occurredAt");
    }

    [Theory]
    [InlineData("1900-01-01", null, "partBStart")]
    [InlineData("1966-06-30", null, "partBStart")]
    [InlineData("far-start", null, "partBStart")]
    [InlineData("2020-01-01", "far-end", "partBEnd")]
    public async Task GivenAnImplausiblePartBDate_WhenCoverageRecorded_Then422NamingIt_AndNothingSaved(string start, string? end, string field)
    {
        var (_, clinical, _, _, patientId) = await ImportedPatientAsync();
        var twoYearsAhead = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(2).ToString("yyyy-MM-dd");
        var before = await factory.WithDb(db => db.Coverages.CountAsync(c => c.PatientId == patientId));

        var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/coverage", new
        {
            payer = "Medicare",
            mbi = "1EG4-TE5-MK73",
            partBStart = start == "far-start" ? twoYearsAhead : start,
            partBEnd = end == "far-end" ? twoYearsAhead : end,
            qmb = false,
            occurredAt = DateTime.UtcNow.AddMinutes(-5),
        });

        await AssertOutOfRangeAsync(response, field);
        Assert.Equal(before, await factory.WithDb(db => db.Coverages.CountAsync(c => c.PatientId == patientId)));
    }

    [Fact]
    public async Task GivenPartBStartingOnItsFirstDayOrNextMonth_WhenCoverageRecorded_Then201()
    {
        var (_, clinical, _, _, patientId) = await ImportedPatientAsync();
        foreach (var start in new[] { "1966-07-01", DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(1).ToString("yyyy-MM-dd") })
        {
            var response = await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/coverage", new { payer = "Medicare", mbi = "1EG4-TE5-MK73", partBStart = start, qmb = false, occurredAt = DateTime.UtcNow.AddMinutes(-5) });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    [Fact]
    public async Task GivenAnAsOfMoreThanAYearAhead_WhenEligibilityScreened_Then422NamingAsOf_WhileSixMonthsAheadIsAnswered()
    {
        var (_, clinical, practiceId, _, _) = await ImportedPatientAsync();

        await AssertOutOfRangeAsync(await clinical.GetAsync($"/api/patients/practices/{practiceId}/eligibility?asOf=9999-01-01"), "asOf");
        var soon = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(6).ToString("yyyy-MM-dd");
        Assert.Equal(HttpStatusCode.OK, (await clinical.GetAsync($"/api/patients/practices/{practiceId}/eligibility?asOf={soon}")).StatusCode);
    }

    [Fact]
    public async Task GivenAnEffectiveFromOrActiveFromYearsAhead_WhenRecorded_Then422NamingIt()
    {
        var (admin, clinical, practiceId, practitionerId, patientId) = await ImportedPatientAsync();

        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/billing-practitioner", new { practitionerId, effectiveFrom = DateTime.UtcNow.AddYears(3), occurredAt = DateTime.UtcNow.AddMinutes(-5) }), "effectiveFrom");
        await AssertOutOfRangeAsync(await admin.PostAsJsonAsync($"/api/patients/practices/{practiceId}/roster", new { displayName = "Nurse Later", kind = "ClinicalStaff", credential = "RN", activeFrom = "9999-01-01" }), "activeFrom");
    }
}
