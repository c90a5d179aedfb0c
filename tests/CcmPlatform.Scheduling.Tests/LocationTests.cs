using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Scheduling.Tests;

/// <summary>Every 201 of Scheduling names a Location the caller can read back, within its practice only.</summary>
public sealed class LocationTests(ServiceFactory<Program, SchedulingDbContext> factory) : IClassFixture<ServiceFactory<Program, SchedulingDbContext>>
{
    private static readonly DateTime March10 = new(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task GivenAScheduledAppointment_WhenItsLocationIsFollowed_ThenTheSameAppointmentAnswers_AndOtherPracticesGet404()
    {
        var a = await SchedulingSeed.PracticeAsync(factory);
        var b = await SchedulingSeed.PracticeAsync(factory);
        var caller = factory.ClientAs("care-coordinator", a.StaffId);

        var location = await CreatedLocations.AssertFollowsAsync(caller, await caller.PostAsJsonAsync("/api/scheduling/appointments", new { patientId = a.PatientId, scheduledAt = March10, staffId = a.StaffId }));

        Assert.Equal(HttpStatusCode.OK, (await factory.ClientAs("billing", await SchedulingSeed.EnrolAsync(factory, a.PracticeId)).GetAsync(location)).StatusCode);
        await CreatedLocations.AssertNotFoundAsync(factory.ClientAs("care-coordinator", b.StaffId), location, "PRACTICE_SCOPE");
        await CreatedLocations.AssertNotFoundAsync(caller, new Uri($"/api/scheduling/appointments/{Guid.NewGuid()}", UriKind.Relative), "NOT_FOUND");
    }

    [Fact]
    public async Task GivenACreatedTask_WhenItsLocationIsFollowed_ThenTheSameTaskAnswers_AndOtherPracticesGet404()
    {
        var a = await SchedulingSeed.PracticeAsync(factory);
        var b = await SchedulingSeed.PracticeAsync(factory);
        var caller = factory.ClientAs("care-coordinator", a.StaffId);
        var assignee = await SchedulingSeed.EnrolAsync(factory, a.PracticeId);

        var location = await CreatedLocations.AssertFollowsAsync(caller, await caller.PostAsJsonAsync("/api/scheduling/tasks", new { patientId = a.PatientId, title = "Call back", assigneeId = assignee, dueDate = "2025-03-12" }));

        await CreatedLocations.AssertNotFoundAsync(factory.ClientAs("care-coordinator", b.StaffId), location, "PRACTICE_SCOPE");
        await CreatedLocations.AssertNotFoundAsync(caller, new Uri($"/api/scheduling/tasks/{Guid.NewGuid()}", UriKind.Relative), "NOT_FOUND");
    }

    [Fact]
    public async Task GivenALongTimerSplit_WhenItsLocationIsFollowed_ThenTheFirstEntryAnswers_AndOtherPracticesGet404()
    {
        var a = await SchedulingSeed.PracticeAsync(factory);
        var b = await SchedulingSeed.PracticeAsync(factory);
        var caller = factory.ClientAs("care-coordinator", a.StaffId);
        var startedAt = new DateTime(2025, 3, 11, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal(HttpStatusCode.Created, (await caller.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = a.PatientId, program = "Ccm", activityType = "CarePlanWork", startedAt })).StatusCode);

        var split = await caller.PostAsJsonAsync("/api/scheduling/timers/split", new { stoppedAt = startedAt.AddMinutes(300), note = "long" });

        Assert.Equal(HttpStatusCode.Created, split.StatusCode);
        var entries = (await split.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        var location = split.Headers.Location!;
        var first = await caller.GetFromJsonAsync<JsonElement>(location);
        Assert.True(JsonElement.DeepEquals(entries[0], first), $"GET {location} answered {first} but the split's first entry is {entries[0]}");
        await CreatedLocations.AssertNotFoundAsync(factory.ClientAs("care-coordinator", b.StaffId), location, "PRACTICE_SCOPE");
    }

    [Fact]
    public async Task GivenAStoppedTimer_WhenItsLocationIsFollowed_ThenTheRecordedEntryAnswers_AndOtherPracticesGet404()
    {
        var a = await SchedulingSeed.PracticeAsync(factory);
        var b = await SchedulingSeed.PracticeAsync(factory);
        var caller = factory.ClientAs("care-coordinator", a.StaffId);
        var startedAt = new DateTime(2025, 3, 12, 12, 0, 0, DateTimeKind.Utc);
        var start = await caller.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = a.PatientId, program = "Ccm", activityType = "Call", startedAt });
        Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync(start.Headers.Location)).StatusCode);

        var location = await CreatedLocations.AssertFollowsAsync(caller, await caller.PostAsJsonAsync("/api/scheduling/timers/stop", new { stoppedAt = startedAt.AddMinutes(25), note = "called" }));

        await CreatedLocations.AssertNotFoundAsync(factory.ClientAs("care-coordinator", b.StaffId), location, "PRACTICE_SCOPE");
    }
}
