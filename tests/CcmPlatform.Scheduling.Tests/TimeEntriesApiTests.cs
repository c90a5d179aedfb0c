using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Contracts;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Tests;

public sealed class TimeEntriesApiTests(ServiceFactory<Program, SchedulingDbContext> factory) : IClassFixture<ServiceFactory<Program, SchedulingDbContext>>
{
    private static readonly DateTime March10 = new(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);

    private HttpClient As(Guid staffId, string role = "care-coordinator") => factory.ClientAs(role, staffId);

    private Task<int> EntriesFor(Guid patientId) => factory.WithDb(db => db.TimeEntries.CountAsync(e => e.PatientId == patientId));

    private static async Task<JsonElement> Problem(HttpResponseMessage response)
        => (await response.Content.ReadFromJsonAsync<JsonElement>());

    [Theory]
    [Trait("Rule", "R-TIME-6")]
    [InlineData(0)]
    [InlineData(241)]
    [InlineData(-5)]
    public async Task GivenMinutesOutsideOneTo240_WhenRecorded_Then422AndNothingStored(int minutes)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10, minutes));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("R-TIME-6", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("minutes", out _));
        Assert.Equal(0, await EntriesFor(s.PatientId));
        Assert.Equal(0, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.Payload.Contains(s.PatientId.ToString()))));
    }

    [Theory]
    [InlineData("99")]
    [InlineData("0")]
    [InlineData("\"99\"")]
    public async Task GivenProgramAsNumberOrUndefinedValue_WhenRecorded_Then400MalformedNamingProgramAndNothingStored(string programJson)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var json = $$"""{"patientId":"{{s.PatientId}}","program":{{programJson}},"startedAt":"2025-03-10T14:00:00Z","minutes":10,"activityType":"Call","note":"called pharmacy"}""";
        var response = await As(s.StaffId).PostAsync("/api/scheduling/time-entries", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("MALFORMED_REQUEST", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("program", out _));
        Assert.Equal(0, await EntriesFor(s.PatientId));
    }

    [Fact]
    public async Task GivenUnknownPatient_WhenRecorded_Then404NamingPatientId()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(Guid.NewGuid(), March10, 10));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("patientId", out _));
    }

    [Fact]
    [Trait("Rule", "R-TIME-3")]
    public async Task GivenCallerNotYetOnRosterOnTheEntryDate_WhenRecorded_Then422NamingStaffId()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var joinsInApril = await SchedulingSeed.EnrolAsync(factory, s.PracticeId, activeFrom: new DateOnly(2025, 4, 1));
        var response = await As(joinsInApril).PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10, 10));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("R-TIME-3", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("staffId", out _));
        Assert.Equal(0, await EntriesFor(s.PatientId));
    }

    [Fact]
    [Trait("Rule", "R-TIME-3")]
    public async Task GivenNonClinicalRoster_WhenRecorded_ThenKindComesFromRosterNotRequest()
    {
        var s = await SchedulingSeed.PracticeAsync(factory, RosterKind.NonClinical);
        var body = new { patientId = s.PatientId, program = "Ccm", startedAt = March10, minutes = 10, activityType = "Scheduling", note = "booked the visit", staffKind = "ClinicalStaff" };
        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var entry = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("NonClinical", entry.GetProperty("staffKind").GetString());
        Assert.Equal(s.StaffId, entry.GetProperty("staffId").GetGuid());
    }

    [Fact]
    [Trait("Rule", "R-TIME-3")]
    public async Task GivenNonAdmin_WhenLoggingForSomeoneElse_Then403()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var body = new { patientId = s.PatientId, program = "Ccm", startedAt = March10, minutes = 10, activityType = "Call", note = "called the patient", staffId = s.StaffId };
        var response = await As(await SchedulingSeed.EnrolAsync(factory, s.PracticeId)).PostAsJsonAsync("/api/scheduling/time-entries", body);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("R-TIME-3", (await Problem(response)).GetProperty("rule").GetString());
        Assert.Equal(0, await EntriesFor(s.PatientId));
    }

    [Fact]
    [Trait("Rule", "R-TIME-3")]
    public async Task GivenNonAdmin_WhenLoggingForSomeoneElse_Then403ErrorsNamesStaffId()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var body = new { patientId = s.PatientId, program = "Ccm", startedAt = March10, minutes = 10, activityType = "Call", note = "called the patient", staffId = s.StaffId };
        var response = await As(await SchedulingSeed.EnrolAsync(factory, s.PracticeId)).PostAsJsonAsync("/api/scheduling/time-entries", body);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var message = (await Problem(response)).GetProperty("errors").GetProperty("staffId")[0].GetString();
        Assert.Contains("admin", message);
    }

    [Theory]
    [Trait("Rule", "R-TIME-6")]
    [InlineData("\"0001-01-01T00:00:00\"")]
    [InlineData("\"0001-01-01T00:00:00Z\"")]
    public async Task GivenStartedAtOfYearOne_WhenRecorded_Then422SayingItIsNoRealStartNotThatItIsMissing(string startedAt)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var json = $$"""{"patientId":"{{s.PatientId}}","program":"Ccm","startedAt":{{startedAt}},"minutes":10,"activityType":"Call","note":"called pharmacy"}""";
        var response = await As(s.StaffId).PostAsync("/api/scheduling/time-entries", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("R-TIME-6", problem.GetProperty("rule").GetString());
        Assert.Contains("0001-01-01", problem.GetProperty("errors").GetProperty("startedAt")[0].GetString());
        Assert.Equal(0, await EntriesFor(s.PatientId));
    }

    [Fact]
    public async Task GivenStartedAtThatIsNotADate_WhenRecorded_Then400SayingADateTimeIsExpectedWithoutDotNetTypeNames()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var json = $$"""{"patientId":"{{s.PatientId}}","program":"Ccm","startedAt":"last tuesday","minutes":10,"activityType":"Call","note":"called pharmacy"}""";
        var response = await As(s.StaffId).PostAsync("/api/scheduling/time-entries", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("date-time", JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty("startedAt")[0].GetString());
        Assert.DoesNotContain("System.", text);
        Assert.DoesNotContain("CcmPlatform.", text);
    }

    [Theory]
    [InlineData("\"Ccm,Pcm\"")]
    [InlineData("\"Ccm, Apcm\"")]
    public async Task GivenProgramAsACommaJoinedListOfNames_WhenRecorded_Then400MalformedNamingProgramAndNothingStored(string programJson)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var json = $$"""{"patientId":"{{s.PatientId}}","program":{{programJson}},"startedAt":"2025-03-10T14:00:00Z","minutes":10,"activityType":"Call","note":"called pharmacy"}""";
        var response = await As(s.StaffId).PostAsync("/api/scheduling/time-entries", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("MALFORMED_REQUEST", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("program", out _));
        Assert.Equal(0, await EntriesFor(s.PatientId));
    }

    [Fact]
    [Trait("Rule", "R-TIME-3")]
    public async Task GivenAdmin_WhenLoggingForStaffMember_ThenEntryIsTheirsAndRecordsWhoDidIt()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var admin = Guid.NewGuid();
        var body = new { patientId = s.PatientId, program = "Ccm", startedAt = March10, minutes = 10, activityType = "Call", note = "called the patient", staffId = s.StaffId };
        var response = await As(admin, "admin").PostAsJsonAsync("/api/scheduling/time-entries", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var entry = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(s.StaffId, entry.GetProperty("staffId").GetGuid());
        Assert.Equal(admin, entry.GetProperty("recordedBy").GetGuid());
    }

    [Fact]
    [Trait("Rule", "R-FACT-1")]
    public async Task GivenStartInTheFuture_WhenRecorded_Then422()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, DateTime.UtcNow.AddHours(2), 10));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("R-FACT-1", (await Problem(response)).GetProperty("rule").GetString());
        Assert.Equal(0, await EntriesFor(s.PatientId));
    }

    [Fact]
    [Trait("Rule", "R-FACT-1")]
    public async Task GivenStartFiveMinutesAgoForAnHour_WhenRecorded_Then422NamingMinutesAndATimerCanStillStart()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = As(s.StaffId);
        var response = await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, DateTime.UtcNow.AddMinutes(-5), 60));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("R-FACT-1", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("minutes", out _));
        Assert.Equal(0, await EntriesFor(s.PatientId));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = s.PatientId, program = "Ccm", activityType = "Call" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/scheduling/timers/current")).StatusCode);
    }

    [Fact]
    [Trait("Rule", "R-FACT-1")]
    public async Task GivenEntryEndingNow_WhenRecorded_ThenCreated()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, DateTime.UtcNow.AddMinutes(-10), 10));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [Trait("Rule", "R-TIME-7")]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task GivenNoNote_WhenRecorded_Then422NamingNoteAndNothingStored(string? note)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var body = new { patientId = s.PatientId, program = "Ccm", startedAt = March10, minutes = 10, activityType = "Call", note };
        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("R-TIME-7", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("note", out _));
        Assert.Equal(0, await EntriesFor(s.PatientId));
    }

    [Theory]
    [InlineData("A00.99")]
    [InlineData("A0099")]
    public async Task GivenUnknownIcd10Code_WhenRecorded_Then422NamingTheIndex(string code)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10, 10, "E11.9", code));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("conditionsAddressed[1]", out _));
        Assert.Equal(0, await EntriesFor(s.PatientId));
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenValidEntry_WhenRecorded_ThenStartTruncatedCodesNormalisedAndEventInSameCommit()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10.AddSeconds(42), 25, "e11.9", "I10"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var entry = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = entry.GetProperty("id").GetGuid();
        Assert.Equal(March10, entry.GetProperty("startedAt").GetDateTime().ToUniversalTime());
        Assert.Equal(["E119", "I10"], entry.GetProperty("conditionsAddressed").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("ClinicalStaff", entry.GetProperty("staffKind").GetString());

        var outbox = await factory.WithDb(db => db.OutboxMessages.Where(m => m.MessageType == typeof(TimeEntryRecorded).FullName && m.Payload.Contains(id.ToString())).ToListAsync());
        Assert.Single(outbox);
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenOverlappingEntryOfSameStaffForAnotherPatient_WhenRecorded_Then409()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var other = await SchedulingSeed.AnotherPatientAsync(factory, s.PracticeId);
        var client = As(s.StaffId);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10, 30))).StatusCode);

        var clash = await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(other, March10.AddMinutes(20), 15));
        Assert.Equal(HttpStatusCode.Conflict, clash.StatusCode);
        Assert.Equal("R-TIME-6", (await Problem(clash)).GetProperty("rule").GetString());
        Assert.Equal(0, await EntriesFor(other));

        // Back to back is not an overlap.
        var next = await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(other, March10.AddMinutes(30), 15));
        Assert.Equal(HttpStatusCode.Created, next.StatusCode);
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenConcurrentOverlappingPosts_WhenRecorded_ThenExactlyOneStored()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = As(s.StaffId);
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10.AddMinutes(i), 20))));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await EntriesFor(s.PatientId));
    }

    [Fact]
    [Trait("Rule", "R-CONS-3")]
    public async Task GivenConsentRevokedInMarch_WhenEntryInAprilThenLateMarch_ThenAprilRefusedMarchStored()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        await factory.WithDb(db =>
        {
            db.Consents.Add(new ConsentView { Id = Guid.NewGuid(), PatientId = s.PatientId, Program = CareProgram.Ccm, OccurredAt = new DateTime(2025, 1, 5, 15, 0, 0, DateTimeKind.Utc), RevokedAt = new DateTime(2025, 3, 12, 15, 0, 0, DateTimeKind.Utc) });
            return db.SaveChangesAsync();
        });
        var client = As(s.StaffId);

        // 1 April 03:00Z is still 31 March in New York: the month of the revocation, so it is stored.
        var lateMarch = await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, new DateTime(2025, 4, 1, 3, 0, 0, DateTimeKind.Utc), 10));
        Assert.Equal(HttpStatusCode.Created, lateMarch.StatusCode);

        var april = await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, new DateTime(2025, 4, 2, 14, 0, 0, DateTimeKind.Utc), 10));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, april.StatusCode);
        Assert.Equal("R-CONS-3", (await Problem(april)).GetProperty("rule").GetString());
        Assert.Equal(1, await EntriesFor(s.PatientId));
    }

    [Fact]
    [Trait("Rule", "R-CONS-1")]
    public async Task GivenConsentLaterThanEntry_WhenRecorded_ThenEntryIsStored()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        await factory.WithDb(db =>
        {
            db.Consents.Add(new ConsentView { Id = Guid.NewGuid(), PatientId = s.PatientId, Program = CareProgram.Ccm, OccurredAt = March10.AddDays(5) });
            return db.SaveChangesAsync();
        });

        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10, 10));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await EntriesFor(s.PatientId));
    }

    [Fact]
    [Trait("Rule", "R-TIME-7")]
    public async Task GivenEntry_WhenVoided_ThenMarkedEventStagedAndSlotFreed()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = As(s.StaffId);
        var created = await (await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10, 30))).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await client.PostAsJsonAsync($"/api/scheduling/time-entries/{id}/void", new { reason = "" })).StatusCode);
        var voided = await client.PostAsJsonAsync($"/api/scheduling/time-entries/{id}/void", new { reason = "wrong patient" });
        Assert.Equal(HttpStatusCode.OK, voided.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/scheduling/time-entries/{id}/void", new { reason = "again" })).StatusCode);
        Assert.Equal(1, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(TimeEntryVoided).FullName && m.Payload.Contains(id.ToString()))));

        var again = await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10, 30));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    [Trait("Rule", "R-TIME-2")]
    public async Task GivenEntryJustAfterUtcMidnight_WhenListedByMonth_ThenItBelongsToThePracticeZoneMonth()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = As(s.StaffId);
        await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, new DateTime(2025, 3, 1, 3, 0, 0, DateTimeKind.Utc), 10));

        var feb = await client.GetFromJsonAsync<JsonElement>($"/api/scheduling/patients/{s.PatientId}/time-entries?month=2025-02");
        var mar = await client.GetFromJsonAsync<JsonElement>($"/api/scheduling/patients/{s.PatientId}/time-entries?month=2025-03");
        Assert.Equal(1, feb.GetArrayLength());
        Assert.Equal(0, mar.GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/scheduling/patients/{s.PatientId}/time-entries?month=2025-13")).StatusCode);
    }

    [Fact]
    public async Task GivenTheLastRepresentableMonth_WhenTimeEntriesAreListed_Then400NamingMonthNotA500()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);

        var response = await As(s.StaffId).GetAsync($"/api/scheduling/patients/{s.PatientId}/time-entries?month=9999-12");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await Problem(response)).GetProperty("errors").TryGetProperty("month", out _));
    }

    [Fact]
    public async Task GivenSameIdempotencyKey_WhenPostedTwice_ThenReplayedAndOneRow_AndDifferentBodyIs422()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = As(s.StaffId);
        var key = Guid.NewGuid().ToString();

        async Task<HttpResponseMessage> Post(object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/scheduling/time-entries") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        var body = SchedulingSeed.Entry(s.PatientId, March10, 10);
        var first = await Post(body);
        var second = await Post(body);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await EntriesFor(s.PatientId));

        var different = await Post(SchedulingSeed.Entry(s.PatientId, March10.AddHours(1), 10));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.Equal(1, await EntriesFor(s.PatientId));
    }

    [Fact]
    public async Task GivenLedgerAndEntries_WhenWorklistRequested_ThenBillingNumbersAndLastContactShown()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        await factory.WithDb(db =>
        {
            db.Ledgers.Add(new PatientMonthLedger { PatientId = s.PatientId, PracticeId = s.PracticeId, Year = 2025, Month = 3, CountableMinutes = 12, MinutesToNextPaymentStep = 8, BestPaymentCents = 0, RecordedAt = DateTime.UtcNow });
            return db.SaveChangesAsync();
        });
        var client = As(s.StaffId);
        await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10, 12));

        var worklist = await client.GetFromJsonAsync<JsonElement>($"/api/scheduling/practices/{s.PracticeId}/worklist?month=2025-03");
        var row = worklist.GetProperty("patients").EnumerateArray().Single();
        Assert.Equal(12, row.GetProperty("countableMinutes").GetInt32());
        Assert.Equal(8, row.GetProperty("minutesToNextPaymentStep").GetInt32());
        Assert.Equal(12, row.GetProperty("loggedMinutes").GetInt32());
        Assert.Equal(0, row.GetProperty("daysLeftInMonth").GetInt32());
        Assert.Equal(March10.AddMinutes(12), row.GetProperty("lastContactAt").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public async Task GivenANoteOverTwoThousandCharacters_WhenRecorded_Then400FieldTooLongAndNothingStored()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var body = new { patientId = s.PatientId, program = "Ccm", startedAt = March10, minutes = 10, activityType = "Call", note = new string('n', 2001) };

        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("FIELD_TOO_LONG", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("note", out _));
        Assert.Equal(0, await EntriesFor(s.PatientId));
    }

    [Fact]
    public async Task GivenMoreThanOneHundredConditions_WhenRecorded_Then400TooManyItemsAndNothingStored()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10, 10, [.. Enumerable.Repeat("I10", 101)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problem(response);
        Assert.Equal("TOO_MANY_ITEMS", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("conditionsAddressed", out _));
        Assert.Equal(0, await EntriesFor(s.PatientId));
    }

    [Fact]
    public async Task GivenABodyOverOneMegabyte_WhenRecorded_Then413ProblemAndNothingStored()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var body = new { patientId = s.PatientId, program = "Ccm", startedAt = March10, minutes = 10, activityType = "Call", note = new string('n', 1024 * 1024) };

        var response = await As(s.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("BODY_TOO_LARGE", (await Problem(response)).GetProperty("rule").GetString());
        Assert.Equal(0, await EntriesFor(s.PatientId));
    }
}
