using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Tests;

public sealed class TimersApiTests(ServiceFactory<Program, SchedulingDbContext> factory) : IClassFixture<ServiceFactory<Program, SchedulingDbContext>>
{
    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenTimerStarted_WhenServiceRestartsAndTimerStopped_ThenEntryRecordedOnTheNewInstance()
    {
        var startedAt = DateTime.UtcNow.AddMinutes(-31);
        Seeded s;
        await using (var first = new ServiceFactory<Program, SchedulingDbContext>())
        {
            s = await SchedulingSeed.PracticeAsync(first);
            var start = await first.ClientAs("care-coordinator", s.StaffId).PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = s.PatientId, program = "Ccm", activityType = "Call", startedAt });
            Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        }

        await using var second = new ServiceFactory<Program, SchedulingDbContext>();
        await SchedulingSeed.PracticeAsync(second, reuse: s);
        var client = second.ClientAs("care-coordinator", s.StaffId);
        var current = await client.GetFromJsonAsync<JsonElement>("/api/scheduling/timers/current");
        Assert.Equal(s.PatientId, current.GetProperty("patientId").GetGuid());

        var stop = await client.PostAsJsonAsync("/api/scheduling/timers/stop", new { note = "med review", conditionsAddressed = new[] { "I10" } });
        Assert.Equal(HttpStatusCode.Created, stop.StatusCode);
        var entry = await stop.Content.ReadFromJsonAsync<JsonElement>();
        Assert.InRange(entry.GetProperty("minutes").GetInt32(), 30, 31);
        Assert.Equal(1, await second.WithDb(db => db.TimeEntries.CountAsync(e => e.PatientId == s.PatientId)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/scheduling/timers/current")).StatusCode);
    }

    [Theory]
    [Trait("Rule", "R-TIME-6")]
    [InlineData(-10)]
    [InlineData(null)]
    public async Task GivenRunningTimer_WhenStoppedBeforeItStarted_Then422SayingStoppedAtIsBeforeStartedAtAndTimerKeepsRunning(int? minutesAfterStart)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var startedAt = new DateTime(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = s.PatientId, program = "Ccm", activityType = "Call", startedAt })).StatusCode);

        // null stands for the year-one stoppedAt a client sends when it serializes an unset DateTime.
        var stoppedAt = minutesAfterStart is { } m ? startedAt.AddMinutes(m) : default;
        var stop = await client.PostAsJsonAsync("/api/scheduling/timers/stop", new { stoppedAt, note = "x" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, stop.StatusCode);
        var problem = await stop.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-TIME-6", problem.GetProperty("rule").GetString());
        Assert.Contains("before the timer's startedAt", problem.GetProperty("errors").GetProperty("stoppedAt")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/scheduling/timers/current")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/scheduling/timers/current")).StatusCode);
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenStartedAtOfYearOne_WhenTimerStarted_Then422SayingItIsNoRealStartAndNoTimer()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = factory.ClientAs("care-coordinator", s.StaffId);

        var start = await client.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = s.PatientId, program = "Ccm", activityType = "Call", startedAt = default(DateTime) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, start.StatusCode);
        var problem = await start.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("0001-01-01", problem.GetProperty("errors").GetProperty("startedAt")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/scheduling/timers/current")).StatusCode);
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenRunningTimer_WhenStartedAgain_Then409()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var body = new { patientId = s.PatientId, program = "Ccm", activityType = "Call" };
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scheduling/timers/start", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/scheduling/timers/start", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/scheduling/timers/current")).StatusCode);
    }

    [Fact]
    [Trait("Rule", "R-TIME-7")]
    public async Task GivenRunningTimer_WhenStoppedWithoutNote_Then422NamingNoteAndTimerKeepsRunning()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var startedAt = new DateTime(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = s.PatientId, program = "Ccm", activityType = "Call", startedAt })).StatusCode);

        var stop = await client.PostAsJsonAsync("/api/scheduling/timers/stop", new { stoppedAt = startedAt.AddMinutes(12), note = " " });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, stop.StatusCode);
        var problem = await stop.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-TIME-7", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("note", out _));
        Assert.Equal(0, await factory.WithDb(db => db.TimeEntries.CountAsync(e => e.PatientId == s.PatientId)));
        var retried = await client.PostAsJsonAsync("/api/scheduling/timers/stop", new { stoppedAt = startedAt.AddMinutes(12), note = "reviewed readings" });
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenTimerUnderOneMinute_WhenStopped_Then422AndNothingStored()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var startedAt = new DateTime(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);
        await client.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = s.PatientId, program = "Ccm", activityType = "Call", startedAt });

        var stop = await client.PostAsJsonAsync("/api/scheduling/timers/stop", new { stoppedAt = startedAt.AddSeconds(59), note = "x" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stop.StatusCode);
        Assert.Equal(0, await factory.WithDb(db => db.TimeEntries.CountAsync(e => e.PatientId == s.PatientId)));

        // Seconds are dropped, never rounded up.
        var ok = await client.PostAsJsonAsync("/api/scheduling/timers/stop", new { stoppedAt = startedAt.AddSeconds(179), note = "x" });
        Assert.Equal(2, (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("minutes").GetInt32());
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenTimerOver240Minutes_WhenStopped_Then422WithSplitAndTimerStays_AndSplitConfirmsEntries()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var startedAt = new DateTime(2025, 3, 11, 12, 0, 0, DateTimeKind.Utc);
        var stoppedAt = startedAt.AddMinutes(300).AddSeconds(30);
        await client.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = s.PatientId, program = "Ccm", activityType = "CarePlanWork", startedAt });

        var stop = await client.PostAsJsonAsync("/api/scheduling/timers/stop", new { stoppedAt, note = "long" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stop.StatusCode);
        var problem = await stop.Content.ReadFromJsonAsync<JsonElement>();
        var split = problem.GetProperty("proposedSplit").EnumerateArray().Select(p => p.GetProperty("minutes").GetInt32()).ToArray();
        Assert.Equal([240, 60], split);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/scheduling/timers/current")).StatusCode);
        Assert.Equal(0, await factory.WithDb(db => db.TimeEntries.CountAsync(e => e.PatientId == s.PatientId)));

        var confirmed = await client.PostAsJsonAsync("/api/scheduling/timers/split", new { stoppedAt, note = "long" });
        Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);
        var entries = await factory.WithDb(db => db.TimeEntries.Where(e => e.PatientId == s.PatientId).OrderBy(e => e.StartedAt).ToListAsync());
        Assert.Equal([240, 60], entries.Select(e => e.Minutes).ToArray());
        Assert.Equal(startedAt.AddMinutes(240), entries[1].StartedAt);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/scheduling/timers/current")).StatusCode);
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenATimerStartedWithAMistypedYear_WhenStoppedOrSplit_Then422NamingStoppedAt_AndNoEntryIsRecorded()
    {
        // A start typed 2016 for 2026 once stopped into a 1 MB proposal and split into 21,916 entries spanning ten years.
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var startedAt = new DateTime(2025, 3, 11, 12, 0, 0, DateTimeKind.Utc);
        var stoppedAt = startedAt.AddDays(40);
        await client.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = s.PatientId, program = "Ccm", activityType = "CarePlanWork", startedAt });

        foreach (var route in new[] { "stop", "split" })
        {
            var response = await client.PostAsJsonAsync($"/api/scheduling/timers/{route}", new { stoppedAt, note = "forgotten" });

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("R-TIME-6", problem.GetProperty("rule").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty("stoppedAt", out _), problem.ToString());
            Assert.False(problem.TryGetProperty("proposedSplit", out _));
        }

        Assert.Equal(0, await factory.WithDb(db => db.TimeEntries.CountAsync(e => e.PatientId == s.PatientId)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/scheduling/timers/current")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scheduling/timers/split", new { stoppedAt = startedAt.AddHours(24), note = "long day" })).StatusCode);
        Assert.Equal(6, await factory.WithDb(db => db.TimeEntries.CountAsync(e => e.PatientId == s.PatientId)));
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenEntryAlreadyLogged_WhenTimerStartedInsideIt_Then409AndNoTimer()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var entryStart = new DateTime(2025, 3, 12, 14, 0, 0, DateTimeKind.Utc);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, entryStart, 30))).StatusCode);

        var start = await client.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = s.PatientId, program = "Ccm", activityType = "Call", startedAt = entryStart.AddMinutes(10) });

        Assert.Equal(HttpStatusCode.Conflict, start.StatusCode);
        var problem = await start.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-TIME-6", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("startedAt", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/scheduling/timers/current")).StatusCode);

        // The entry's end is free: intervals are half-open.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = s.PatientId, program = "Ccm", activityType = "Call", startedAt = entryStart.AddMinutes(30) })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/scheduling/timers/current")).StatusCode);
    }

    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenEntryLoggedWhileTimerRan_WhenStopped_Then409PointsToDiscardAndDiscardClearsTimer()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var startedAt = new DateTime(2025, 3, 13, 9, 0, 0, DateTimeKind.Utc);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = s.PatientId, program = "Ccm", activityType = "Call", startedAt })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, startedAt.AddMinutes(20), 15))).StatusCode);

        var stop = await client.PostAsJsonAsync("/api/scheduling/timers/stop", new { stoppedAt = startedAt.AddMinutes(45), note = "x" });

        Assert.Equal(HttpStatusCode.Conflict, stop.StatusCode);
        var problem = await stop.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("R-TIME-6", problem.GetProperty("rule").GetString());
        Assert.Contains("DELETE /api/scheduling/timers/current", problem.GetProperty("detail").GetString());
        Assert.Equal(1, await factory.WithDb(db => db.TimeEntries.CountAsync(e => e.PatientId == s.PatientId)));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/scheduling/timers/current")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/scheduling/timers/current")).StatusCode);
    }
}
