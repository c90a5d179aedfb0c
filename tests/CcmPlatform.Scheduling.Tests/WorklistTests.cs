using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Contracts;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CcmPlatform.Scheduling.Tests;

public sealed class WorklistTests(ServiceFactory<Program, SchedulingDbContext> factory) : IClassFixture<ServiceFactory<Program, SchedulingDbContext>>
{
    private static readonly DateTime March10 = new(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc);

    private async Task<(Seeded S, Guid Second, Guid Third)> ThreeEnrolledAsync()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var second = await SchedulingSeed.AnotherPatientAsync(factory, s.PracticeId);
        var third = await SchedulingSeed.AnotherPatientAsync(factory, s.PracticeId);
        await factory.WithDb(db =>
        {
            db.Patients.Find(second)!.Name = "Bea Second";
            db.Patients.Find(third)!.Name = "Cy Third";
            foreach (var id in new[] { s.PatientId, second, third })
            {
                db.Enrollments.Add(new EnrollmentView { PatientId = id, PracticeId = s.PracticeId, Program = CareProgram.Ccm, EnrolledAt = new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc) });
            }

            db.Ledgers.Add(new PatientMonthLedger { PatientId = s.PatientId, PracticeId = s.PracticeId, Year = 2025, Month = 3, CountableMinutes = 12, MinutesToNextPaymentStep = 8, RecordedAt = DateTime.UtcNow });
            db.Ledgers.Add(new PatientMonthLedger { PatientId = second, PracticeId = s.PracticeId, Year = 2025, Month = 3, CountableMinutes = 45, MinutesToNextPaymentStep = 15, RecordedAt = DateTime.UtcNow });
            db.Tasks.Add(new CareTask { Id = Guid.NewGuid(), PracticeId = s.PracticeId, PatientId = third, Title = "Call pharmacy", AssigneeId = s.StaffId, DueDate = new DateOnly(2025, 3, 20), CreatedBy = s.StaffId, RecordedAt = DateTime.UtcNow });
            db.MedicationAlerts.Add(new MedicationAlertView { AlertId = Guid.NewGuid(), PatientId = third, PracticeId = s.PracticeId, RuleId = "warfarin-nsaids", Severity = "high", RaisedAt = DateTime.UtcNow });
            return db.SaveChangesAsync();
        });
        return (s, second, third);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static List<Guid> Ids(JsonElement worklist) => worklist.GetProperty("patients").EnumerateArray().Select(r => r.GetProperty("patientId").GetGuid()).ToList();

    [Fact]
    public async Task GivenEnrolledPatients_WhenSortedAndPaged_ThenOrderTotalAndPagesFollowTheQuery()
    {
        var (s, second, third) = await ThreeEnrolledAsync();
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var url = $"/api/scheduling/practices/{s.PracticeId}/worklist?month=2025-03";

        Assert.Equal([s.PatientId, second, third], Ids(await GetAsync(client, url)));
        Assert.Equal([second, s.PatientId, third], Ids(await GetAsync(client, url + "&sort=countable&desc=true")));
        Assert.Equal([s.PatientId, third, second], Ids(await GetAsync(client, url + "&sort=name&desc=true")));

        var page = await GetAsync(client, url + "&sort=name&page=2&pageSize=1");
        Assert.Equal(3, page.GetProperty("totalCount").GetInt32());
        Assert.Equal([third], Ids(page));
        var thirdRow = page.GetProperty("patients")[0];
        Assert.Equal(1, thirdRow.GetProperty("openTasks").GetInt32());
        Assert.Equal(1, thirdRow.GetProperty("openAlerts").GetInt32());
        Assert.False(thirdRow.GetProperty("ledgerKnown").GetBoolean());
    }

    [Theory]
    [InlineData("sort=fun")]
    [InlineData("page=0")]
    [InlineData("pageSize=500")]
    [InlineData("month=March")]
    [InlineData("month=9999-12")]
    [InlineData("month=0001-01")]
    public async Task GivenABadQuery_WhenTheWorklistIsRequested_Then400NamingTheField(string query)
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var response = await factory.ClientAs("billing", await SchedulingSeed.EnrolAsync(factory, s.PracticeId, RosterKind.NonClinical)).GetAsync($"/api/scheduling/practices/{s.PracticeId}/worklist?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(query.Split('=')[0], out _));
    }

    [Fact]
    public async Task GivenAPatientIdNoOneKnows_WhenATaskIsCreated_Then404NamingPatientIdAndNoTask()
    {
        var s = await SchedulingSeed.PracticeAsync(factory);
        var unknown = Guid.NewGuid();

        var response = await factory.ClientAs("care-coordinator", s.StaffId).PostAsJsonAsync("/api/scheduling/tasks", new { patientId = unknown, title = "Call back", assigneeId = s.StaffId, dueDate = "2025-03-12" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("NOT_FOUND", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("patientId", out _));
        Assert.Equal(0, await factory.WithDb(db => db.Tasks.CountAsync(t => t.PatientId == unknown)));
    }

    [Fact]
    public async Task GivenACoordinator_WhenTheWorklistIsFilteredByThem_ThenOnlyPatientsTheyLoggedTimeForOrHaveATaskForAppear()
    {
        var (s, _, third) = await ThreeEnrolledAsync();
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var logged = await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10, 10));
        Assert.Equal(HttpStatusCode.Created, logged.StatusCode);

        var mine = await GetAsync(client, $"/api/scheduling/practices/{s.PracticeId}/worklist?month=2025-03&coordinatorId={s.StaffId}");
        Assert.Equal([s.PatientId, third], Ids(mine));
        Assert.Empty(Ids(await GetAsync(client, $"/api/scheduling/practices/{s.PracticeId}/worklist?month=2025-03&coordinatorId={Guid.NewGuid()}")));
    }

    [Fact]
    public async Task GivenACachedWorklist_WhenLedgerUpdatedAndInteractionEventsArrive_ThenTheNextReadShowsThem()
    {
        await factory.WaitHealthyAsync();
        var (s, _, third) = await ThreeEnrolledAsync();
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var url = $"/api/scheduling/practices/{s.PracticeId}/worklist?month=2025-03&sort=name";
        var before = await GetAsync(client, url);
        Assert.Equal(12, before.GetProperty("patients").EnumerateArray().Single(r => r.GetProperty("patientId").GetGuid() == s.PatientId).GetProperty("countableMinutes").GetInt32());

        var bus = factory.Services.GetRequiredService<IBus>();
        var alertId = Guid.NewGuid();
        await bus.Publish(new LedgerUpdated(s.PracticeId, s.PatientId, 2025, 3, 22, 0, null, 6000, DateTime.UtcNow.AddSeconds(1)));
        await bus.Publish(new InteractionDetected(s.PracticeId, s.PatientId, alertId, "warfarin-nsaids", "high", "Warfarin + NSAID", DateTime.UtcNow));

        var row = await TestInfrastructure.Eventually(
            async () => (await GetAsync(client, url)).GetProperty("patients").EnumerateArray().Single(r => r.GetProperty("patientId").GetGuid() == s.PatientId),
            r => r.GetProperty("countableMinutes").GetInt32() == 22 && r.GetProperty("openAlerts").GetInt32() == 1,
            TimeSpan.FromSeconds(30),
            "cached worklist refreshed by events");
        Assert.Equal(JsonValueKind.Null, row.GetProperty("minutesToNextPaymentStep").ValueKind);

        await bus.Publish(new InteractionAlertClosed(s.PracticeId, s.PatientId, alertId, "Acknowledged", DateTime.UtcNow));
        await TestInfrastructure.Eventually(
            async () => (await GetAsync(client, url)).GetProperty("patients").EnumerateArray().Single(r => r.GetProperty("patientId").GetGuid() == s.PatientId).GetProperty("openAlerts").GetInt32(),
            n => n == 0,
            TimeSpan.FromSeconds(30),
            "acknowledged alert leaves the open count");
        _ = third;
    }

    [Fact]
    [Trait("Rule", "R-INIT-1")]
    public async Task GivenLoggedMinutesButNoInitiatingVisit_WhenBillingsLedgerArrives_ThenTheWorklistRowCarriesTheReasonCodes()
    {
        await factory.WaitHealthyAsync();
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/scheduling/time-entries", SchedulingSeed.Entry(s.PatientId, March10, 25))).StatusCode);
        var url = $"/api/scheduling/practices/{s.PracticeId}/worklist?month=2025-03";
        var before = (await GetAsync(client, url)).GetProperty("patients").EnumerateArray().Single(r => r.GetProperty("patientId").GetGuid() == s.PatientId);
        Assert.Empty(before.GetProperty("reasons").EnumerateArray());

        await factory.Services.GetRequiredService<IBus>().Publish(new LedgerUpdated(s.PracticeId, s.PatientId, 2025, 3, 0, 25, 20, 0, DateTime.UtcNow.AddSeconds(1),
        [
            new LedgerReasonItem("NO_INITIATING_VISIT", "No initiating visit with the billing practitioner yet; minutes before it do not count."),
            new LedgerReasonItem("MINUTES_BEFORE_INITIATING_VISIT", "25 minute(s) before the initiating visit do not count."),
        ]));

        var row = await TestInfrastructure.Eventually(
            async () => (await GetAsync(client, url)).GetProperty("patients").EnumerateArray().Single(r => r.GetProperty("patientId").GetGuid() == s.PatientId),
            r => r.GetProperty("ledgerKnown").GetBoolean(),
            TimeSpan.FromSeconds(30),
            "ledger with reasons on the worklist");
        var reasons = row.GetProperty("reasons").EnumerateArray().ToList();
        Assert.Contains(reasons, r => r.GetProperty("code").GetString() == "NO_INITIATING_VISIT" && r.GetProperty("text").GetString()!.Contains("initiating visit"));
        Assert.Equal(25, row.GetProperty("loggedMinutes").GetInt32());
        Assert.Equal(0, row.GetProperty("countableMinutes").GetInt32());
    }

    [Fact]
    public async Task GivenALedgerUpdatedWithoutReasons_WhenConsumed_ThenTheRowHasNoReasonsAndNothingFails()
    {
        await factory.WaitHealthyAsync();
        var s = await SchedulingSeed.PracticeAsync(factory);
        var client = factory.ClientAs("care-coordinator", s.StaffId);
        var url = $"/api/scheduling/practices/{s.PracticeId}/worklist?month=2025-03";

        await factory.Services.GetRequiredService<IBus>().Publish(new LedgerUpdated(s.PracticeId, s.PatientId, 2025, 3, 22, 0, null, 6000, DateTime.UtcNow));

        var row = await TestInfrastructure.Eventually(
            async () => (await GetAsync(client, url)).GetProperty("patients").EnumerateArray().SingleOrDefault(r => r.GetProperty("patientId").GetGuid() == s.PatientId),
            r => r.ValueKind == JsonValueKind.Object && r.GetProperty("ledgerKnown").GetBoolean(),
            TimeSpan.FromSeconds(30),
            "ledger without reasons on the worklist");
        Assert.Empty(row.GetProperty("reasons").EnumerateArray());
    }
}
