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

    private static readonly DateTime YearOne = new(1, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime LastBeforeCcm = new(2014, 12, 31, 23, 59, 0, DateTimeKind.Utc);
    private static readonly DateTime CcmBegan = new(2015, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task GivenABillingPractitionerEffectiveOrRecordedBeforeTheCcmCodes_WhenAssigned_Then422NamingIt_AndTheBillingPractitionerStays()
    {
        // The import assigns from 2000-01-01: an assignment "from 0001" sorted before it, answered 201 and never took effect.
        var (admin, clinical, practiceId, _, patientId) = await ImportedPatientAsync();
        var other = await Api.AddPractitionerAsync(admin, practiceId, Api.Npi2);
        var before = await factory.WithDb(db => db.BillingPractitionerAssignments.CountAsync(a => a.PatientId == patientId));

        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/billing-practitioner", new { practitionerId = other, effectiveFrom = YearOne, occurredAt = DateTime.UtcNow.AddMinutes(-5) }), "effectiveFrom");
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/billing-practitioner", new { practitionerId = other, effectiveFrom = LastBeforeCcm, occurredAt = DateTime.UtcNow.AddMinutes(-5) }), "effectiveFrom");
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/billing-practitioner", new { practitionerId = other, effectiveFrom = CcmBegan, occurredAt = YearOne }), "occurredAt");
        Assert.Equal(before, await factory.WithDb(db => db.BillingPractitionerAssignments.CountAsync(a => a.PatientId == patientId)));

        Assert.Equal(HttpStatusCode.Created, (await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/billing-practitioner", new { practitionerId = other, effectiveFrom = CcmBegan, occurredAt = CcmBegan })).StatusCode);
    }

    [Fact]
    public async Task GivenAVisitStartedInYearOneOrJustBeforeTheCcmCodes_WhenRecorded_Then422NamingStartedAt_AndNothingSaved_WhileTheFirstDayIsAccepted()
    {
        var (_, clinical, _, practitionerId, patientId) = await ImportedPatientAsync();
        object Visit(DateTime at) => new { code = "99214", practitionerId, startedAt = at, endedAt = at.AddMinutes(30), initiating = true, withG0506 = false };

        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/visits", Visit(YearOne)), "startedAt");
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/visits", Visit(LastBeforeCcm)), "startedAt");
        Assert.Equal(0, await factory.WithDb(db => db.Visits.CountAsync(v => v.PatientId == patientId)));

        Assert.Equal(HttpStatusCode.Created, (await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/visits", Visit(CcmBegan))).StatusCode);
        Assert.Equal(1, await factory.WithDb(db => db.Visits.CountAsync(v => v.PatientId == patientId)));
    }

    [Fact]
    public async Task GivenAnAdmissionInYearOneOrJustBeforeTheCcmCodes_WhenStayRecorded_Then422NamingAdmittedAt_AndNothingSaved_WhileTheFirstDayIsAccepted()
    {
        var (_, clinical, _, _, patientId) = await ImportedPatientAsync();
        var url = $"/api/patients/patients/{patientId}/inpatient-stays";

        // Undischarged: had it been stored, every minute since year 1 would stop counting (R-TIME-4).
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync(url, new { facility = "Hospital", admittedAt = YearOne }), "admittedAt");
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync(url, new { facility = "Snf", admittedAt = LastBeforeCcm, dischargedAt = CcmBegan.AddDays(3) }), "admittedAt");
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync(url, new { facility = "Hospital", admittedAt = CcmBegan, dischargedAt = CcmBegan.AddDays(3), occurredAt = YearOne }), "occurredAt");
        Assert.Equal(0, await factory.WithDb(db => db.InpatientStays.CountAsync(i => i.PatientId == patientId)));

        Assert.Equal(HttpStatusCode.Created, (await clinical.PostAsJsonAsync(url, new { facility = "Hospital", admittedAt = CcmBegan, dischargedAt = CcmBegan.AddDays(3) })).StatusCode);
        Assert.Equal(1, await factory.WithDb(db => db.InpatientStays.CountAsync(i => i.PatientId == patientId)));
    }

    [Fact]
    public async Task GivenADeathBefore1900OrBeforeTheBirth_WhenRecorded_Then422NamingIt_AndThePatientStaysAlive()
    {
        var (_, clinical, _, _, patientId) = await ImportedPatientAsync();
        var url = $"/api/patients/patients/{patientId}/death";

        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync(url, new { diedAt = YearOne }), "diedAt");
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync(url, new { deathDate = "1899-12-31" }), "deathDate");
        // The sample patient was born on 1992-09-13.
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync(url, new { deathDate = "1992-09-12" }), "deathDate");
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync(url, new { deathDate = "2020-05-01", occurredAt = YearOne }), "occurredAt");
        Assert.Equal(0, await factory.WithDb(db => db.Deaths.CountAsync(d => d.PatientId == patientId)));

        Assert.Equal(HttpStatusCode.Created, (await clinical.PostAsJsonAsync(url, new { deathDate = "1992-09-13" })).StatusCode);
    }

    [Fact]
    public async Task GivenCoverageRecordedAsOfBeforePartBBegan_WhenRecorded_Then422NamingOccurredAt_WhileItsFirstDayIsAccepted()
    {
        var (_, clinical, _, _, patientId) = await ImportedPatientAsync();
        object Coverage(DateTime occurredAt) => new { payer = "Medicare", mbi = "1EG4-TE5-MK73", partBStart = "2020-01-01", qmb = false, occurredAt };

        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/coverage", Coverage(YearOne)), "occurredAt");
        await AssertOutOfRangeAsync(await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/coverage", Coverage(new DateTime(1966, 6, 30, 23, 59, 0, DateTimeKind.Utc))), "occurredAt");
        Assert.Equal(0, await factory.WithDb(db => db.Coverages.CountAsync(c => c.PatientId == patientId)));

        Assert.Equal(HttpStatusCode.Created, (await clinical.PostAsJsonAsync($"/api/patients/patients/{patientId}/coverage", Coverage(new DateTime(1966, 7, 1, 0, 0, 0, DateTimeKind.Utc)))).StatusCode);
    }

    [Fact]
    public async Task GivenARosterActiveFromOrAnAsOfBeforeTheCcmCodes_WhenSent_Then422NamingIt_WhileTheFirstDayIsAccepted()
    {
        var (admin, clinical, practiceId, _, _) = await ImportedPatientAsync();
        object Member(string activeFrom) => new { displayName = "Nurse " + activeFrom, kind = "ClinicalStaff", credential = "RN", activeFrom };
        var before = await factory.WithDb(db => db.RosterMembers.CountAsync(r => r.PracticeId == practiceId));

        await AssertOutOfRangeAsync(await admin.PostAsJsonAsync($"/api/patients/practices/{practiceId}/roster", Member("0001-01-01")), "activeFrom");
        await AssertOutOfRangeAsync(await admin.PostAsJsonAsync($"/api/patients/practices/{practiceId}/roster", Member("2014-12-31")), "activeFrom");
        Assert.Equal(before, await factory.WithDb(db => db.RosterMembers.CountAsync(r => r.PracticeId == practiceId)));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/patients/practices/{practiceId}/roster", Member("2015-01-01"))).StatusCode);

        await AssertOutOfRangeAsync(await clinical.GetAsync($"/api/patients/practices/{practiceId}/eligibility?asOf=0001-01-01"), "asOf");
        await AssertOutOfRangeAsync(await clinical.GetAsync($"/api/patients/practices/{practiceId}/eligibility?asOf=2014-12-31"), "asOf");
        Assert.Equal(HttpStatusCode.OK, (await clinical.GetAsync($"/api/patients/practices/{practiceId}/eligibility?asOf=2015-01-01")).StatusCode);
    }

    [Theory]
    [InlineData("0001-01-01", null, "Patient.birthDate")]
    [InlineData("1899-12-31", null, "Patient.birthDate")]
    [InlineData("1950-01-01", "0001-01-01T00:00:00Z", "Patient.deceasedDateTime")]
    public async Task GivenABundleWithABirthOrDeathBefore1900_WhenImported_Then422NamingIt_AndNothingSaved(string birthDate, string? deceased, string field)
    {
        var admin = factory.ClientAs(Roles.Admin);
        var practiceId = await Api.CreatePracticeAsync(admin);
        var clinical = await Api.MemberAsync(factory, admin, practiceId);
        await Api.AddPractitionerAsync(admin, practiceId);

        var response = await Api.ImportAsync(clinical, practiceId, Bundle("p-old", birthDate, deceased));

        await AssertOutOfRangeAsync(response, field);
        Assert.Equal(0, await factory.WithDb(db => db.Patients.CountAsync(p => p.PracticeId == practiceId)));
    }

    [Fact]
    public async Task GivenABundleBornOn1900_01_01_WhenImported_ThenThePatientIsStored()
    {
        var admin = factory.ClientAs(Roles.Admin);
        var practiceId = await Api.CreatePracticeAsync(admin);
        var clinical = await Api.MemberAsync(factory, admin, practiceId);
        await Api.AddPractitionerAsync(admin, practiceId);

        var response = await Api.ImportAsync(clinical, practiceId, Bundle("p-1900", "1900-01-01", null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new DateOnly(1900, 1, 1), await factory.WithDb(db => db.Patients.Where(p => p.PracticeId == practiceId).Select(p => p.BirthDate).SingleAsync()));
    }

    private static string Bundle(string id, string birthDate, string? deceased)
    {
        var death = deceased is null ? "" : $",\"deceasedDateTime\":\"{deceased}\"";
        return $$$"""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"resource":{"resourceType":"Patient","id":"{{{id}}}","birthDate":"{{{birthDate}}}"{{{death}}},"name":[{"family":"Old","given":["Ida"]}]}}]}
            """;
    }
}
