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

    private static async Task AssertOutOfScope(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("PRACTICE_SCOPE", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }
}
