using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Platform.Tests;

/// <summary>
/// The care team's workflows through the gateway, each on its own practice created through the API.
/// Dates are in March 2025 (past, so no occurredAt is refused as future).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CareTeamWorkflowTests(PlatformFixture platform)
{
    private const string NpiA = "1234567893";
    private const string NpiB = "1245319599";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private static DateTime Utc(int month, int day, int hour = 15, int minute = 0) => new(2025, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public async Task GivenABundleWithWarfarinAndNaproxenActive_WhenImported_ThenMedicationsRaisesTheWarfarinNsaidAlert_WhichIsAcknowledgedWithAReason_AndAdanPortillosStoppedIbuprofenRaisesNone()
    {
        var practice = await PracticeAsync();
        var patientId = await ImportAsync(practice, BundleWithMedications(("855332", "warfarin sodium 5 MG Oral Tablet"), ("849574", "naproxen sodium 220 MG Oral Tablet")));

        var alerts = await TestInfrastructure.Eventually(
            async () => await practice.Nurse.GetAsync($"/api/medications/patients/{patientId}/alerts") is { IsSuccessStatusCode: true } r ? JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsArray() : [],
            a => a.Any(x => x!["ruleId"]!.GetValue<string>() == "warfarin-nsaids"), Wait, "warfarin + NSAID alert");
        var alert = alerts.First(x => x!["ruleId"]!.GetValue<string>() == "warfarin-nsaids")!;
        Assert.False(string.IsNullOrWhiteSpace(alert["severity"]!.GetValue<string>()));
        Assert.Contains("warfarin", alert["summary"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);

        using var billing = platform.Client(Roles.Billing, practiceId: practice.Id);
        var forbidden = await billing.PostAsJsonAsync($"/api/medications/patients/{patientId}/alerts/{alert["id"]}/acknowledge", new { reason = "seen" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        var noReason = await practice.Nurse.PostAsJsonAsync($"/api/medications/patients/{patientId}/alerts/{alert["id"]}/acknowledge", new { reason = " " });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        var ack = await practice.Nurse.PostAsJsonAsync($"/api/medications/patients/{patientId}/alerts/{alert["id"]}/acknowledge", new { reason = "Prescriber aware; INR checked weekly; naproxen to stop after 5 days" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var acknowledged = JsonNode.Parse(await ack.Content.ReadAsStringAsync())!;
        Assert.Equal(practice.NurseId.ToString(), acknowledged["acknowledgedBy"]!.GetValue<string>());

        var adan = await ImportAsync(practice, await File.ReadAllTextAsync(Path.Combine(TestInfrastructure.SampleDirectory, "Adan_Portillo_22bbe238-220e-495c-8abc-0ce3aa28a605.json")));
        var meds = await TestInfrastructure.Eventually(
            async () => await practice.Nurse.GetAsync($"/api/medications/patients/{adan}/medications") is { IsSuccessStatusCode: true } r ? JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsArray() : [],
            m => m.Count > 0, Wait, "Adan Portillo's medications imported");
        Assert.Contains(meds, m => m!["display"]!.GetValue<string>().Contains("ibuprofen", StringComparison.OrdinalIgnoreCase) && m["status"]!.GetValue<string>() == "stopped");
        var adanAlerts = await GetArrayAsync(practice.Nurse, $"/api/medications/patients/{adan}/alerts?all=true");
        Assert.DoesNotContain(adanAlerts, a => a!["ruleId"]!.GetValue<string>() == "warfarin-nsaids");
    }

    [Fact]
    [Trait("Rule", "R-CONS-3")]
    public async Task GivenConsentRevokedMidMonth_WhenMinutesAreLogged_ThenMinutesBeforeAndAfterTheRevocationInThatMonthCount_AndAnEntryNextMonthIs422()
    {
        var practice = await PracticeAsync();
        var patientId = await EnrolledPatientAsync(practice, practice.PractitionerA, Utc(3, 1, 14));
        await LogAsync(practice, patientId, Utc(3, 5), 15);
        var consentId = (await GetObjectAsync(practice.Nurse, $"/api/patients/patients/{patientId}"))["consents"]!.AsArray()[0]!["id"]!.GetValue<string>();
        var revoke = await practice.Nurse.PostAsJsonAsync($"/api/patients/patients/{patientId}/consents/{consentId}/revoke", new { occurredAt = Utc(3, 10), reason = "Patient asked to stop" });
        Assert.True(revoke.IsSuccessStatusCode, await revoke.Content.ReadAsStringAsync());
        await LogAsync(practice, patientId, Utc(3, 20), 10);

        var ledger = await LedgerAsync(practice, patientId, "2025-03", l => l["countableMinutes"]!.GetValue<int>() == 25);
        Assert.Equal(0, ledger["notCountableMinutes"]!.GetValue<int>());

        // Scheduling heard of the revocation from the same event as Billing, whose ledger already reflects later facts.
        var april = await practice.Nurse.PostAsJsonAsync("/api/scheduling/time-entries", Entry(patientId, Utc(4, 2), 10));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, april.StatusCode);
        Assert.Equal("R-CONS-3", JsonNode.Parse(await april.Content.ReadAsStringAsync())!["rule"]!.GetValue<string>());
    }

    [Fact]
    [Trait("Rule", "R-CONS-2")]
    [Trait("Rule", "R-ELIG-4")]
    public async Task GivenTheBillingPractitionerChangesMidMonth_WhenTheLedgerIsRead_ThenOnlyMinutesInsideTheNewPractitionersConsentCount_AndEarlierOnesAreNotCountable()
    {
        var practice = await PracticeAsync();
        var patientId = await EnrolledPatientAsync(practice, practice.PractitionerA, Utc(3, 1, 14));
        var early = await LogAsync(practice, patientId, Utc(3, 5), 20);

        var assign = await practice.Nurse.PostAsJsonAsync($"/api/patients/patients/{patientId}/billing-practitioner", new { practitionerId = practice.PractitionerB, effectiveFrom = "2025-03-15", occurredAt = Utc(3, 15, 13) });
        Assert.True(assign.IsSuccessStatusCode, await assign.Content.ReadAsStringAsync());
        await ConsentAsync(practice, patientId, practice.PractitionerB, Utc(3, 15, 14));
        await VisitAsync(practice, patientId, practice.PractitionerB, Utc(3, 15, 15));
        var late = await LogAsync(practice, patientId, Utc(3, 18), 25);

        var ledger = await LedgerAsync(practice, patientId, "2025-03", l => l["timeEntries"]!.AsArray().Count == 2 && l["facts"]!["consents"]!.AsArray().Count >= 2 && l["countableMinutes"]!.GetValue<int>() == 25);
        Assert.Equal(20, ledger["notCountableMinutes"]!.GetValue<int>());
        var entries = ledger["timeEntries"]!.AsArray();
        var earlyEntry = entries.Single(e => e!["entryId"]!.GetValue<string>() == early.ToString())!;
        Assert.Equal(20, earlyEntry["notCountable"]!.AsArray().Sum(n => n!["minutes"]!.GetValue<int>()));
        Assert.Contains("Consent", earlyEntry["notCountable"]!.AsArray()[0]!["reason"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(entries.Single(e => e!["entryId"]!.GetValue<string>() == late.ToString())!["notCountable"]!.AsArray());
    }

    [Fact]
    public async Task GivenEnrolledPatientsWithMinutes_WhenTheWorklistIsRead_ThenItsNumbersEqualBillingsLedger_AndItSortsAndPages()
    {
        var practice = await PracticeAsync();
        var first = await EnrolledPatientAsync(practice, practice.PractitionerA, Utc(3, 1, 14));
        var second = await EnrolledPatientAsync(practice, practice.PractitionerA, Utc(3, 1, 14));
        await LogAsync(practice, first, Utc(3, 4), 12);
        await LogAsync(practice, second, Utc(3, 6), 35);

        await TestInfrastructure.Eventually(
            async () => await GetArrayAsync(practice.Billing, $"/api/billing/practices/{practice.Id}/months/2025-03/ledgers"),
            l => l.Count(x => x!["timeEntries"]!.AsArray().Count == 1) == 2, Wait, "both ledgers");

        // Billing's ledger is read afresh on every probe: the worklist must converge to what Billing says now.
        var (worklist, _) = await TestInfrastructure.Eventually(
            async () => (await GetObjectAsync(practice.Nurse, $"/api/scheduling/practices/{practice.Id}/worklist?month=2025-03&sort=countable&desc=true"),
                         await GetArrayAsync(practice.Billing, $"/api/billing/practices/{practice.Id}/months/2025-03/ledgers")),
            p => Agrees(p.Item1, p.Item2), Wait, "worklist equal to the ledgers");
        Assert.Equal(2, worklist["totalCount"]!.GetValue<int>());
        Assert.Equal(second.ToString(), worklist["patients"]!.AsArray()[0]!["patientId"]!.GetValue<string>());

        var paged = await GetObjectAsync(practice.Nurse, $"/api/scheduling/practices/{practice.Id}/worklist?month=2025-03&sort=countable&page=2&pageSize=1&coordinatorId={practice.NurseId}");
        Assert.Equal(2, paged["totalCount"]!.GetValue<int>());
        Assert.Equal(second.ToString(), Assert.Single(paged["patients"]!.AsArray())!["patientId"]!.GetValue<string>());
    }

    [Fact]
    public async Task GivenTwoCarePlansReplicas_WhenTwoEditsCarryTheSameETag_ThenExactlyOneWins_AndTheOtherGets412()
    {
        var practice = await PracticeAsync();
        var patientId = await ImportAsync(practice, BundleWithMedications());
        var created = await TestInfrastructure.Eventually(
            () => practice.Nurse.PostAsJsonAsync("/api/careplans/plans", Plan(patientId, practice, "Fair")),
            r => r.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity), Wait, "CarePlans knows the patient and the roster");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var planId = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        var etag = created.Headers.ETag ?? throw new InvalidOperationException("no ETag on create");

        async Task<HttpStatusCode> Put(string prognosis)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/careplans/plans/{planId}") { Content = JsonContent.Create(Plan(patientId, practice, prognosis)) };
            request.Headers.IfMatch.Add(etag);
            using var client = platform.Client(Roles.CareCoordinator, practice.NurseId);
            return (await client.SendAsync(request)).StatusCode;
        }

        for (var round = 0; round < 3; round++)
        {
            var results = await Task.WhenAll(Put($"Good, round {round} A"), Put($"Guarded, round {round} B"));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed], results.Order());
            var current = await practice.Nurse.GetAsync($"/api/careplans/plans/{planId}");
            etag = current.Headers.ETag!;
        }
    }

    /// <summary>
    /// Scheduling → RabbitMQ → Billing end to end: an entry saved while the broker is down waits in Scheduling's
    /// outbox and reaches Billing's ledger, once, after the broker returns.
    /// </summary>
    [Fact]
    public async Task GivenRabbitMqStopped_WhenMinutesAreLogged_ThenTheEntryIsSavedAndBillingsLedgerCountsItOnceTheBrokerIsBack()
    {
        var practice = await PracticeAsync();
        var patientId = await EnrolledPatientAsync(practice, practice.PractitionerA, Utc(3, 1, 14));
        await LogAsync(practice, patientId, Utc(3, 4), 10);
        await LedgerAsync(practice, patientId, "2025-03", l => l["countableMinutes"]!.GetValue<int>() == 10);

        await platform.App.ResourceCommands.ExecuteCommandAsync("rabbitmq", KnownResourceCommands.StopCommand);
        try
        {
            await platform.App.ResourceNotifications.WaitForResourceAsync(
                "rabbitmq",
                e => e.Snapshot.State?.Text is { } state && state != KnownResourceStates.Running && state != KnownResourceStates.Starting && state != "Stopping",
                new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token);
            var saved = await practice.Nurse.PostAsJsonAsync("/api/scheduling/time-entries", Entry(patientId, Utc(3, 6), 25));
            Assert.True(saved.StatusCode == HttpStatusCode.Created, await saved.Content.ReadAsStringAsync());

            // With no broker the entry cannot have left Scheduling yet: Billing still counts only the first one.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var meanwhile = (await GetArrayAsync(practice.Billing, $"/api/billing/practices/{practice.Id}/months/2025-03/ledgers"))
                .First(x => x!["patientId"]!.GetValue<string>() == patientId.ToString())!;
            Assert.Equal(10, meanwhile["countableMinutes"]!.GetValue<int>());
        }
        finally
        {
            await platform.App.ResourceCommands.ExecuteCommandAsync("rabbitmq", KnownResourceCommands.StartCommand);
            await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("rabbitmq", new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);
        }

        var ledger = await TestInfrastructure.Eventually(
            async () => (await GetArrayAsync(practice.Billing, $"/api/billing/practices/{practice.Id}/months/2025-03/ledgers"))
                .First(x => x!["patientId"]!.GetValue<string>() == patientId.ToString())!,
            l => l["countableMinutes"]!.GetValue<int>() == 35, TimeSpan.FromSeconds(180), "the entry saved while RabbitMQ was down reached Billing");
        Assert.Equal(2, ledger["timeEntries"]!.AsArray().Count);
    }

    /// <summary>A running timer lives in Redis, not in the Scheduling process: it survives a restart of that process.</summary>
    [Fact]
    [Trait("Rule", "R-TIME-6")]
    public async Task GivenARunningTimer_WhenSchedulingRestarts_ThenTheTimerIsStillRunningAndStopsIntoAnEntry()
    {
        var practice = await PracticeAsync();
        var patientId = await EnrolledPatientAsync(practice, practice.PractitionerA, Utc(3, 1, 14));
        await LogAsync(practice, patientId, Utc(3, 4), 5);
        var startedAt = Utc(3, 7, 16);
        var start = await practice.Nurse.PostAsJsonAsync("/api/scheduling/timers/start", new { patientId, program = "Ccm", activityType = "Call", startedAt });
        Assert.True(start.StatusCode == HttpStatusCode.Created, await start.Content.ReadAsStringAsync());

        await platform.App.ResourceCommands.ExecuteCommandAsync("scheduling", KnownResourceCommands.StopCommand);
        await platform.App.ResourceNotifications.WaitForResourceAsync(
            "scheduling",
            e => e.Snapshot.State?.Text is { } state && state != KnownResourceStates.Running && state != KnownResourceStates.Starting && state != "Stopping",
            new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        await platform.App.ResourceCommands.ExecuteCommandAsync("scheduling", KnownResourceCommands.StartCommand);
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("scheduling", new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);

        var current = await GetObjectAsync(practice.Nurse, "/api/scheduling/timers/current");
        Assert.Equal(patientId.ToString(), current["patientId"]!.GetValue<string>());
        var stop = await practice.Nurse.PostAsJsonAsync("/api/scheduling/timers/stop", new { stoppedAt = startedAt.AddMinutes(22), note = "Reviewed home readings", conditionsAddressed = new[] { "I10" } });
        Assert.True(stop.StatusCode == HttpStatusCode.Created, await stop.Content.ReadAsStringAsync());
        Assert.Equal(22, JsonNode.Parse(await stop.Content.ReadAsStringAsync())!["minutes"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await practice.Nurse.GetAsync("/api/scheduling/timers/current")).StatusCode);
        await LedgerAsync(practice, patientId, "2025-03", l => l["countableMinutes"]!.GetValue<int>() == 27);
    }

    [Fact]
    public async Task GivenRecordsCreatedThroughTheGateway_WhenEachLocationIsFollowed_ThenTheSameRecordAnswers_AndAnotherPracticesNurseGets404()
    {
        var practice = await PracticeAsync();
        var other = await PracticeAsync();
        var patientId = await ImportAsync(practice, BundleWithMedications());
        using var admin = platform.Client(Roles.Admin);

        var member = await CreatedLocations.AssertFollowsAsync(admin, await admin.PostAsJsonAsync($"/api/patients/practices/{practice.Id}/roster",
            new { displayName = "Lou Location", kind = "ClinicalStaff", credential = "RN", activeFrom = "2020-01-01" }));
        var medication = await CreatedLocations.AssertFollowsAsync(practice.Nurse, await Created(
            () => practice.Nurse.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "314076", display = "lisinopril 10 MG Oral Tablet", status = "active", occurredAt = Utc(3, 3) })));
        var appointment = await CreatedLocations.AssertFollowsAsync(practice.Nurse, await Created(
            () => practice.Nurse.PostAsJsonAsync("/api/scheduling/appointments", new { patientId, scheduledAt = Utc(3, 20), staffId = practice.NurseId })));
        var billedElsewhere = await CreatedLocations.AssertFollowsAsync(practice.Billing, await Created(
            () => practice.Billing.PostAsJsonAsync($"/api/billing/patients/{patientId}/services-billed-elsewhere", new { code = "99495", practitionerNpi = NpiB, dateOfService = "2025-03-04" })));

        foreach (var location in new[] { member, medication, appointment, billedElsewhere })
        {
            await CreatedLocations.AssertNotFoundAsync(other.Nurse, location, PracticeScope.Rule);
        }

        // Services learn the patient and the nurse from events; until then a POST answers 404 or 403.
        static Task<HttpResponseMessage> Created(Func<Task<HttpResponseMessage>> post) => TestInfrastructure.Eventually(
            post, r => r.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden), Wait, "the service knows the patient and the caller");
    }

    private static bool Agrees(JsonNode worklist, JsonArray ledgers)
    {
        var rows = worklist["patients"]!.AsArray();
        return rows.Count == ledgers.Count && ledgers.All(l =>
        {
            var row = rows.FirstOrDefault(r => r!["patientId"]!.GetValue<string>() == l!["patientId"]!.GetValue<string>());
            return row is not null
                   && row["ledgerKnown"]!.GetValue<bool>()
                   && row["countableMinutes"]!.GetValue<int>() == l!["countableMinutes"]!.GetValue<int>()
                   && row["minutesToNextPaymentStep"]?.GetValue<int>() == l["minutesToNextPaymentStep"]?.GetValue<int>();
        });
    }

    // ---- setup through the gateway ----

    private sealed record Practice(Guid Id, Guid PractitionerA, Guid PractitionerB, Guid NurseId, HttpClient Nurse, HttpClient Billing);

    private async Task<Practice> PracticeAsync()
    {
        using var admin = platform.Client(Roles.Admin);
        var practice = await PostAsync(admin, "/api/patients/practices", new { name = "Workflow " + Guid.NewGuid().ToString("N")[..6], timeZone = "America/New_York", waivesCoinsurance = false });
        var id = practice["id"]!.GetValue<Guid>();
        async Task<Guid> Member(string name, string kind, string credential, string? npi) => (await PostAsync(admin, $"/api/patients/practices/{id}/roster", new
        {
            displayName = name,
            kind,
            credential,
            npi,
            practitionerType = npi is null ? null : "Physician",
            activeFrom = "2020-01-01",
        }))["id"]!.GetValue<Guid>();
        var a = await Member("Dr. Ada Alvarez", "Practitioner", "MD", NpiA);
        var b = await Member("Dr. Ben Brooks", "Practitioner", "MD", NpiB);
        var nurse = await Member("Nia Nurse", "ClinicalStaff", "RN", null);
        return new Practice(id, a, b, nurse, platform.Client(Roles.CareCoordinator, nurse), platform.Client(Roles.Billing, practiceId: id));
    }

    private async Task<Guid> ImportAsync(Practice practice, string bundle)
    {
        using var content = new StringContent(bundle, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
        var response = await practice.Nurse.PostAsync($"/api/patients/practices/{practice.Id}/import", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!["patientId"]!.GetValue<Guid>();
    }

    /// <summary>Imported, billing practitioner assigned, Part B, consent, enrolled and an initiating visit by the practitioner.</summary>
    private async Task<Guid> EnrolledPatientAsync(Practice practice, Guid practitionerId, DateTime consentAt)
    {
        var patientId = await ImportAsync(practice, BundleWithMedications());
        await PostAsync(practice.Nurse, $"/api/patients/patients/{patientId}/billing-practitioner", new { practitionerId, effectiveFrom = "2025-01-01", occurredAt = Utc(1, 2) });
        await PostAsync(practice.Nurse, $"/api/patients/patients/{patientId}/coverage", new { payer = "Medicare Part B", mbi = "1EG4TE5MK73", partBStart = "2015-01-01", qmb = false, occurredAt = Utc(1, 2) });
        await ConsentAsync(practice, patientId, practitionerId, consentAt);
        await PostAsync(practice.Nurse, $"/api/patients/patients/{patientId}/enrollments", new { program = "Ccm", occurredAt = consentAt, reason = "Two chronic conditions; consent documented" });
        await VisitAsync(practice, patientId, practitionerId, consentAt.AddHours(1));
        return patientId;
    }

    private static Task<JsonNode> ConsentAsync(Practice practice, Guid patientId, Guid practitionerId, DateTime at) => PostAsync(practice.Nurse, $"/api/patients/patients/{patientId}/consents", new
    {
        program = "Ccm",
        practitionerId,
        method = "Verbal",
        occurredAt = at,
        informedCostSharing = true,
        informedRightToStop = true,
        informedSinglePractitioner = true,
        informedElectronicSharing = true,
        declined = false,
    });

    private async Task VisitAsync(Practice practice, Guid patientId, Guid practitionerId, DateTime start)
    {
        using var practitioner = platform.Client(Roles.Practitioner, practitionerId);
        await PostAsync(practitioner, $"/api/patients/patients/{patientId}/visits", new { code = "99214", practitionerId, startedAt = start, endedAt = start.AddMinutes(30), initiating = true, withG0506 = false });
    }

    /// <summary>Logs minutes as the practice's nurse, retrying while Scheduling has not yet heard of the patient or the nurse (403 NOT_ON_ROSTER until the roster arrives).</summary>
    private static async Task<Guid> LogAsync(Practice practice, Guid patientId, DateTime startedAt, int minutes)
    {
        var response = await TestInfrastructure.Eventually(
            () => practice.Nurse.PostAsJsonAsync("/api/scheduling/time-entries", Entry(patientId, startedAt, minutes)),
            r => r.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.UnprocessableEntity), Wait, "Scheduling knows the patient and the nurse");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["id"]!.GetValue<Guid>();
    }

    private static object Entry(Guid patientId, DateTime startedAt, int minutes) => new
    {
        patientId,
        program = "Ccm",
        startedAt,
        minutes,
        activityType = "CareCoordination",
        note = "Called the patient about home readings",
        conditionsAddressed = new[] { "I10", "E119" },
    };

    private static async Task<JsonNode> LedgerAsync(Practice practice, Guid patientId, string month, Func<JsonNode, bool> done)
    {
        var ledgers = await TestInfrastructure.Eventually(
            async () => await GetArrayAsync(practice.Billing, $"/api/billing/practices/{practice.Id}/months/{month}/ledgers"),
            l => l.FirstOrDefault(x => x!["patientId"]!.GetValue<string>() == patientId.ToString()) is { } x && done(x), Wait, "Billing's ledger caught up");
        return ledgers.First(x => x!["patientId"]!.GetValue<string>() == patientId.ToString())!;
    }

    private static object Plan(Guid patientId, Practice practice, string prognosis) => new
    {
        patientId,
        expectedOutcome = "Stable blood pressure and glucose at home",
        prognosis,
        goals = new[] { new { description = "Blood pressure below target", target = "< 140/90 mmHg", targetDate = "2025-09-01" } },
        symptomManagement = "Daily readings; call for chest pain or confusion",
        interventions = new[] { new { description = "Monthly care-management call", responsibleRosterId = practice.NurseId } },
        medicationManagement = "Reconcile at every contact",
        communityResources = "Meal delivery",
        coordination = "Share summaries with cardiology",
        reviewDate = "2025-09-01",
        occurredAt = "2025-02-20T15:00:00Z",
    };

    /// <summary>A FHIR R4 bundle made for the test: hypertension and type 2 diabetes (two CCW groups) and the given active medications.</summary>
    private static string BundleWithMedications(params (string RxNorm, string Display)[] medications)
    {
        var patient = Guid.NewGuid().ToString();
        var entries = new JsonArray
        {
            Resource(patient, new JsonObject
            {
                ["resourceType"] = "Patient",
                ["id"] = patient,
                ["name"] = new JsonArray(new JsonObject { ["family"] = "Tester" + patient[..4], ["given"] = new JsonArray("Wanda") }),
                ["gender"] = "female",
                ["birthDate"] = "1948-04-12",
            }),
        };
        foreach (var (snomed, display) in new[] { ("38341003", "Hypertension"), ("44054006", "Diabetes") })
        {
            var id = Guid.NewGuid().ToString();
            entries.Add(Resource(id, new JsonObject
            {
                ["resourceType"] = "Condition",
                ["id"] = id,
                ["clinicalStatus"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/condition-clinical", ["code"] = "active" }) },
                ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://snomed.info/sct", ["code"] = snomed, ["display"] = display }), ["text"] = display },
                ["subject"] = new JsonObject { ["reference"] = "urn:uuid:" + patient },
                ["onsetDateTime"] = "2015-06-01T10:00:00Z",
                ["recordedDate"] = "2015-06-01T10:00:00Z",
            }));
        }

        foreach (var (rxNorm, display) in medications)
        {
            var id = Guid.NewGuid().ToString();
            entries.Add(Resource(id, new JsonObject
            {
                ["resourceType"] = "MedicationRequest",
                ["id"] = id,
                ["status"] = "active",
                ["intent"] = "order",
                ["medicationCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = rxNorm, ["display"] = display }), ["text"] = display },
                ["subject"] = new JsonObject { ["reference"] = "urn:uuid:" + patient },
                ["authoredOn"] = "2025-02-01T10:00:00Z",
            }));
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries }.ToJsonString();

        static JsonObject Resource(string id, JsonObject resource) => new() { ["fullUrl"] = "urn:uuid:" + id, ["resource"] = resource };
    }

    private static async Task<JsonNode> PostAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} → {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static async Task<JsonArray> GetArrayAsync(HttpClient client, string path) => JsonNode.Parse(await client.GetStringAsync(path))!.AsArray();

    private static async Task<JsonNode> GetObjectAsync(HttpClient client, string path) => JsonNode.Parse(await client.GetStringAsync(path))!;
}
