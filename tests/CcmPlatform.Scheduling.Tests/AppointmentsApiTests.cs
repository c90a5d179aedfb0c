using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Tests;

/// <summary>
/// Appointments and tasks: dates no real schedule could carry are 422 DATE_OUT_OF_RANGE (not before 2015-01-01, at
/// most two years ahead), and an appointment's kind is one of a closed set (docs/rules.md).
/// </summary>
public sealed class AppointmentsApiTests(ServiceFactory<Program, SchedulingDbContext> factory) : IClassFixture<ServiceFactory<Program, SchedulingDbContext>>
{
    private HttpClient As(Guid staffId) => factory.ClientAs("care-coordinator", staffId);

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string rule, string field)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(rule, problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    private Task<int> AppointmentsOf(Guid patientId) => factory.WithDb(db => db.Appointments.CountAsync(a => a.PatientId == patientId));

    public static TheoryData<string> ImplausibleScheduledAt() => new()
    {
        "0001-06-01T10:00:00Z",
        "2014-12-31T23:59:00Z",
        DateTime.UtcNow.AddYears(2).AddDays(1).ToString("O"),
        "9999-12-31T10:00:00Z",
    };

    [Theory]
    [MemberData(nameof(ImplausibleScheduledAt))]
    public async Task GivenAnAppointmentBeforeTheCcmCodesOrMoreThanTwoYearsAhead_WhenScheduled_Then422NamingScheduledAt_AndNothingStored(string scheduledAt)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);

        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/appointments", new { patientId = s.PatientId, scheduledAt, staffId = s.StaffId });

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "DATE_OUT_OF_RANGE", "scheduledAt");
        Assert.Equal(0, await AppointmentsOf(s.PatientId));
    }

    [Fact]
    public async Task GivenAnAppointmentOnTheFirstCcmDayOrJustUnderTwoYearsAhead_WhenScheduled_Then201()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);

        foreach (var scheduledAt in new[] { new DateTime(2015, 1, 1, 0, 0, 0, DateTimeKind.Utc), DateTime.UtcNow.AddYears(2).AddHours(-1) })
        {
            var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/appointments", new { patientId = s.PatientId, scheduledAt });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        Assert.Equal(2, await AppointmentsOf(s.PatientId));
    }

    [Fact]
    public async Task GivenACompletionDatedBeforeTheCcmCodes_WhenCompleted_Then422NamingOccurredAt_AndTheAppointmentStaysOpen()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var created = await (await As(s.StaffId).PostAsJsonAsync("/api/scheduling/appointments", new { patientId = s.PatientId, scheduledAt = "2025-03-10T14:00:00Z" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();

        var response = await As(s.StaffId).PostAsJsonAsync($"/api/scheduling/appointments/{id}/complete", new { outcome = "Reached patient", occurredAt = "2014-12-31T23:59:00Z" });

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "DATE_OUT_OF_RANGE", "occurredAt");
        Assert.Null(await factory.WithDb(db => db.Appointments.Where(a => a.Id == id).Select(a => a.CompletedAt).SingleAsync()));
    }

    [Fact]
    public async Task GivenACompletionDatedTheFirstInstantOfYearOne_WhenCompleted_Then422NamingOccurredAt_AndTheAppointmentStaysOpen()
    {
        // DateTime's default value once meant "not sent" and was silently replaced by now, so a year-1 completion was stored.
        var s = await SchedulingSeed.PracticeAsync(factory);
        var created = await (await As(s.StaffId).PostAsJsonAsync("/api/scheduling/appointments", new { patientId = s.PatientId, scheduledAt = "2025-03-10T14:00:00Z" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();

        var response = await As(s.StaffId).PostAsJsonAsync($"/api/scheduling/appointments/{id}/complete", new { outcome = "Reached patient", occurredAt = "0001-01-01T00:00:00Z" });

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "DATE_OUT_OF_RANGE", "occurredAt");
        Assert.Null(await factory.WithDb(db => db.Appointments.Where(a => a.Id == id).Select(a => a.CompletedAt).SingleAsync()));
    }

    [Fact]
    public async Task GivenACompletionWithoutOccurredAt_WhenCompleted_ThenItIsDatedNow()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var created = await (await As(s.StaffId).PostAsJsonAsync("/api/scheduling/appointments", new { patientId = s.PatientId, scheduledAt = "2025-03-10T14:00:00Z" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        var before = DateTime.UtcNow.AddSeconds(-5);

        var response = await As(s.StaffId).PostAsJsonAsync($"/api/scheduling/appointments/{id}/complete", new { outcome = "Reached patient" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await factory.WithDb(db => db.Appointments.Where(a => a.Id == id).Select(a => a.CompletedAt).SingleAsync()) >= before);
    }

    public static TheoryData<string> ImplausibleDueDate() => new()
    {
        "0001-01-02",
        "2014-12-31",
        DateOnly.FromDateTime(DateTime.UtcNow).AddYears(2).AddDays(1).ToString("yyyy-MM-dd"),
        "9999-12-31",
    };

    [Theory]
    [MemberData(nameof(ImplausibleDueDate))]
    public async Task GivenATaskDueBeforeTheCcmCodesOrMoreThanTwoYearsAhead_WhenCreated_Then422NamingDueDate_AndNothingStored(string dueDate)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);

        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/tasks", new { patientId = s.PatientId, title = "Call back", assigneeId = s.StaffId, dueDate });

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "DATE_OUT_OF_RANGE", "dueDate");
        Assert.Equal(0, await factory.WithDb(db => db.Tasks.CountAsync(t => t.PatientId == s.PatientId)));
    }

    [Fact]
    public async Task GivenATaskDueOnTheFirstCcmDayOrExactlyTwoYearsAhead_WhenCreated_Then201()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);

        foreach (var dueDate in new[] { "2015-01-01", DateOnly.FromDateTime(DateTime.UtcNow).AddYears(2).ToString("yyyy-MM-dd") })
        {
            var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/tasks", new { patientId = s.PatientId, title = "Call back", assigneeId = s.StaffId, dueDate });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        Assert.Equal(2, await factory.WithDb(db => db.Tasks.CountAsync(t => t.PatientId == s.PatientId)));
    }

    [Theory]
    [InlineData("\"Bogus\"")]
    [InlineData("\"1\"")]
    [InlineData("1")]
    [InlineData("\"A,A\"")]
    [InlineData("\"MonthlyCheckIn,FollowUp\"")]
    [InlineData("\"\"")]
    public async Task GivenAKindOutsideTheClosedSet_WhenScheduled_Then400MalformedNamingKind_AndNothingStored(string kindJson)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var json = $$"""{"patientId":"{{s.PatientId}}","scheduledAt":"2025-03-10T14:00:00Z","kind":{{kindJson}}}""";

        var response = await As(s.StaffId).PostAsync("/api/scheduling/appointments", new StringContent(json, Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "MALFORMED_REQUEST", "kind");
        Assert.Equal(0, await AppointmentsOf(s.PatientId));
    }

    [Theory]
    [InlineData("\"followup\"", "FollowUp")]
    [InlineData("\"CarePlanReview\"", "CarePlanReview")]
    [InlineData("null", "MonthlyCheckIn")]
    public async Task GivenAKindOfTheSetInAnyCaseOrNone_WhenScheduled_ThenItIsStoredByItsName(string kindJson, string stored)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var json = $$"""{"patientId":"{{s.PatientId}}","scheduledAt":"2025-03-10T14:00:00Z","kind":{{kindJson}}}""";

        var response = await As(s.StaffId).PostAsync("/api/scheduling/appointments", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(stored, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString());
        Assert.Equal(stored, await factory.WithDb(db => db.Appointments.Where(a => a.PatientId == s.PatientId).Select(a => a.Kind).SingleAsync()));
    }

    [Fact]
    public async Task GivenTheOpenApiDocument_WhenRead_ThenAppointmentKindIsAStringListingEveryKind()
    {
        var doc = await OpenApiDocuments.ReadAsync(factory.Services);

        var schema = doc["components"]!["schemas"]!["AppointmentKind"]!;
        var names = schema["enum"]!.AsArray().Where(n => n is not null).Select(n => n!.GetValue<string>()).ToArray();
        Assert.Equal(Enum.GetNames<AppointmentKind>(), names);
    }
}
