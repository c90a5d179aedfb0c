using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Scheduling.Tests;

/// <summary>A token scoped to practice A cannot read or change practice B's time, timers, worklist or entries.</summary>
public sealed class PracticeScopeTests(ServiceFactory<Program, SchedulingDbContext> factory) : IClassFixture<ServiceFactory<Program, SchedulingDbContext>>
{
    private static readonly DateTime March10 = new(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task GivenATokenScopedToPracticeA_WhenTouchingPracticeBsPatient_Then404AndNothingStored_AndItsOwnPatientWorks()
    {
        var a = await SchedulingSeed.PracticeAsync(factory);
        var b = await SchedulingSeed.PracticeAsync(factory);
        var entryOfB = await factory.ClientAs("care-coordinator", b.StaffId).PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(b.PatientId, March10, 10));
        Assert.Equal(HttpStatusCode.Created, entryOfB.StatusCode);
        var entryOfBId = (await entryOfB.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var scoped = factory.ClientAs("care-coordinator", a.StaffId, a.PracticeId);

        await AssertOutOfScope(await scoped.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(b.PatientId, March10.AddHours(1), 10)), "patientId");
        await AssertOutOfScope(await scoped.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId = b.PatientId, program = "Ccm", activityType = "Call" }), "patientId");
        await AssertOutOfScope(await scoped.GetAsync($"/api/scheduling/patients/{b.PatientId}/time-entries"), "patientId");
        await AssertOutOfScope(await scoped.GetAsync($"/api/scheduling/time-entries/{entryOfBId}"), "entryId");
        await AssertOutOfScope(await scoped.PostAsJsonAsync($"/api/scheduling/time-entries/{entryOfBId}/void", new { reason = "not mine" }), "entryId");
        await AssertOutOfScope(await scoped.GetAsync($"/api/scheduling/practices/{b.PracticeId}/worklist"), "practiceId");
        Assert.Equal(1, await factory.WithDb(db => db.TimeEntries.CountAsync(e => e.PatientId == b.PatientId && e.VoidedAt == null)));

        Assert.Equal(HttpStatusCode.Created, (await scoped.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(a.PatientId, March10, 10))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/scheduling/patients/{a.PatientId}/time-entries")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync($"/api/scheduling/practices/{a.PracticeId}/worklist")).StatusCode);
    }

    [Fact]
    public async Task GivenARosterMemberTokenWithoutPracticeClaim_WhenTouchingAnotherPracticesPatient_Then404_AndItsOwnPatientWorks()
    {
        var a = await SchedulingSeed.PracticeAsync(factory);
        var b = await SchedulingSeed.PracticeAsync(factory);
        var member = factory.ClientAs("care-coordinator", a.StaffId);

        await AssertOutOfScope(await member.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(b.PatientId, March10, 10)), "patientId");
        await AssertOutOfScope(await member.GetAsync($"/api/scheduling/practices/{b.PracticeId}/worklist"), "practiceId");
        Assert.Equal(0, await factory.WithDb(db => db.TimeEntries.CountAsync(e => e.PatientId == b.PatientId)));
        Assert.Equal(HttpStatusCode.Created, (await member.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(a.PatientId, March10, 10))).StatusCode);
    }

    [Fact]
    public async Task GivenStaffOfAnotherPracticeInTheBody_WhenSchedulingOrAssigning_Then404NamingTheField_AndNothingWritten()
    {
        var a = await SchedulingSeed.PracticeAsync(factory);
        var b = await SchedulingSeed.PracticeAsync(factory);
        var admin = factory.ClientAs("admin");

        await AssertOutOfScope(await admin.PostAsJsonAsync("/api/scheduling/appointments", new { patientId = a.PatientId, scheduledAt = March10, staffId = b.StaffId }), "staffId");
        var unknown = await admin.PostAsJsonAsync("/api/scheduling/appointments", new { patientId = a.PatientId, scheduledAt = March10, staffId = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        await AssertOutOfScope(await admin.PostAsJsonAsync("/api/scheduling/tasks", new { patientId = a.PatientId, title = "Call back", assigneeId = b.StaffId, dueDate = "2025-03-12" }), "assigneeId");
        await AssertOutOfScope(await factory.ClientAs("care-coordinator", a.StaffId).PostAsJsonAsync("/api/scheduling/appointments", new { patientId = a.PatientId, scheduledAt = March10, staffId = b.StaffId }), "staffId");
        Assert.Equal(0, await factory.WithDb(db => db.Appointments.CountAsync(x => x.PatientId == a.PatientId)));
        Assert.Equal(0, await factory.WithDb(db => db.Tasks.CountAsync(t => t.PatientId == a.PatientId)));

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/scheduling/appointments", new { patientId = a.PatientId, scheduledAt = March10, staffId = a.StaffId })).StatusCode);
    }

    [Fact]
    public async Task GivenATokenWhoseSubjectIsNotOnThePracticesRoster_WhenWritingClinically_Then403NotOnRoster_AndNothingWritten()
    {
        var a = await SchedulingSeed.PracticeAsync(factory);
        var stranger = factory.ClientAs("care-coordinator", Guid.NewGuid());
        var claimsPractice = factory.ClientAs("care-coordinator", Guid.NewGuid(), a.PracticeId);

        await AssertNotOnRoster(await stranger.GetAsync($"/api/scheduling/practices/{a.PracticeId}/worklist"));
        await AssertNotOnRoster(await stranger.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(a.PatientId, March10, 10)));
        Assert.Equal(HttpStatusCode.OK, (await claimsPractice.GetAsync($"/api/scheduling/practices/{a.PracticeId}/worklist")).StatusCode);
        await AssertNotOnRoster(await claimsPractice.PostAsJsonAsync("/api/scheduling/appointments", new { patientId = a.PatientId, scheduledAt = March10 }));
        await AssertNotOnRoster(await claimsPractice.PostAsJsonAsync("/api/scheduling/tasks", new { patientId = a.PatientId, title = "Call back", assigneeId = a.StaffId, dueDate = "2025-03-12" }));
        Assert.Equal(0, await factory.WithDb(db => db.Appointments.CountAsync(x => x.PatientId == a.PatientId)));
        Assert.Equal(0, await factory.WithDb(db => db.Tasks.CountAsync(t => t.PatientId == a.PatientId)));
    }

    private static async Task AssertNotOnRoster(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("NOT_ON_ROSTER", problem.GetProperty("rule").GetString());
    }

    private static async Task AssertOutOfScope(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PRACTICE_SCOPE", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }
}
