using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CcmPlatform.Contracts;
using CcmPlatform.Medications.Data;
using CcmPlatform.Medications.Domain;
using CcmPlatform.TestSupport;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CcmPlatform.Medications.Tests;

public sealed class MedicationsApiTests(ServiceFactory<Program, MedicationsDbContext> factory) : IClassFixture<ServiceFactory<Program, MedicationsDbContext>>
{
    private async Task<(Guid PatientId, Guid PracticeId)> SeedPatientAsync()
    {
        var (id, practiceId) = (Guid.NewGuid(), Guid.NewGuid());
        await factory.WithDb(db =>
        {
            db.Patients.Add(new PatientView { Id = id, PracticeId = practiceId });
            return db.SaveChangesAsync();
        });
        return (id, practiceId);
    }

    private async Task<List<JsonElement>> AlertsAsync(HttpClient client, Guid patientId)
        => (await client.GetFromJsonAsync<List<JsonElement>>($"/api/medications/patients/{patientId}/alerts"))!;

    [Fact]
    public async Task GivenWarfarinAndNaproxenBothActive_WhenListed_ThenInteractionAlertAndEventStaged()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "855332", display = "Warfarin Sodium 5 MG Oral Tablet", status = "active" })).StatusCode);
        Assert.Empty(await AlertsAsync(client, patientId));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "849574", display = "Naproxen sodium 220 MG Oral Tablet", status = "active" })).StatusCode);

        var alert = Assert.Single(await AlertsAsync(client, patientId));
        Assert.Equal("warfarin-nsaids", alert.GetProperty("ruleId").GetString());
        Assert.Equal(1, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(InteractionDetected).FullName && m.Payload.Contains(patientId.ToString()))));
    }

    [Fact]
    public async Task GivenStoppedNsaid_WhenListedWithWarfarin_ThenNoAlert_AndStoppingAnActiveOneResolvesIt()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "855332", display = "Warfarin", status = "active" });
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "849574", display = "Naproxen", status = "stopped" });
        Assert.Empty(await AlertsAsync(client, patientId));

        var ibuprofen = await (await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "310965", display = "Ibuprofen", status = "active" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Single(await AlertsAsync(client, patientId));
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications/{ibuprofen.GetProperty("id").GetGuid()}/status", new { status = "stopped" });
        Assert.Empty(await AlertsAsync(client, patientId));
    }

    [Fact]
    public async Task GivenAnOpenAlert_WhenAcknowledged_ThenAReasonIsRequired_WhoWhenAndWhyAreKept_BillingIsRefused_AndASecondAcknowledgementIs409()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var nurseId = Guid.NewGuid();
        var client = factory.ClientAs("care-coordinator", await factory.EnrolAsync(practiceId, rosterId: nurseId));
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "855332", display = "Warfarin", status = "active" });
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "849574", display = "Naproxen", status = "active" });
        var alertId = Assert.Single(await AlertsAsync(client, patientId)).GetProperty("id").GetGuid();
        var url = $"/api/medications/patients/{patientId}/alerts/{alertId}/acknowledge";

        Assert.Equal(HttpStatusCode.Forbidden, (await (await factory.MemberAsync("billing", practiceId)).PostAsJsonAsync(url, new { reason = "seen" })).StatusCode);
        var noReason = await client.PostAsJsonAsync(url, new { reason = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));

        var ack = await client.PostAsJsonAsync(url, new { reason = "Prescriber aware; INR weekly" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        var body = await ack.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(nurseId, body.GetProperty("acknowledgedBy").GetGuid());
        Assert.Equal("Prescriber aware; INR weekly", body.GetProperty("acknowledgementReason").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync(url, new { reason = "again" })).StatusCode);
        Assert.Equal(1, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(InteractionAlertClosed).FullName && m.Payload.Contains(alertId.ToString()))));
    }

    [Fact]
    public async Task GivenAReconciliation_WhenRecorded_ThenWhoWhenDiscrepanciesAndChangesAreKept()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var nurseId = Guid.NewGuid();
        var client = factory.ClientAs("care-coordinator", await factory.EnrolAsync(practiceId, rosterId: nurseId));
        var at = DateTime.UtcNow.AddHours(-1);
        var response = await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/reconciliations", new
        {
            occurredAt = at,
            discrepancies = "Patient stopped naproxen last week; list still showed it",
            changes = new[] { new { rxNormCode = "849574", display = "Naproxen", status = "stopped" } },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var recorded = Assert.Single((await client.GetFromJsonAsync<JsonElement>($"/api/medications/patients/{patientId}/reconciliations")).EnumerateArray());
        Assert.Equal(nurseId, recorded.GetProperty("reconciledBy").GetGuid());
        Assert.Equal(at, recorded.GetProperty("occurredAt").GetDateTime().ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.Contains("naproxen", recorded.GetProperty("discrepancies").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("849574", Assert.Single(recorded.GetProperty("changes").EnumerateArray()).GetProperty("rxNormCode").GetString());
    }

    [Fact]
    public async Task GivenDigoxinAndCyclosporine_WhenActive_ThenAlert()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "197604", display = "Digoxin", status = "active" });
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "835900", display = "cycloSPORINE", status = "active" });
        Assert.Equal("digoxin-cyclosporine", Assert.Single(await AlertsAsync(client, patientId)).GetProperty("ruleId").GetString());
    }

    [Fact]
    public async Task GivenDigoxinAndVerapamilBothActive_WhenListed_ThenHighSeverityAlertSayingWhatToDo_AndStoppingVerapamilResolvesIt()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        var url = $"/api/medications/patients/{patientId}/medications";
        await client.PostAsJsonAsync(url, new { rxNormCode = "197604", display = "Digoxin 0.125 MG Oral Tablet", status = "active" });
        var verapamil = await (await client.PostAsJsonAsync(url, new { rxNormCode = "897718", display = "Verapamil Hydrochloride 40 MG", status = "active" })).Content.ReadFromJsonAsync<JsonElement>();

        var alert = Assert.Single(await AlertsAsync(client, patientId));
        Assert.Equal("digoxin-amiodarone-verapamil", alert.GetProperty("ruleId").GetString());
        Assert.Equal("high", alert.GetProperty("severity").GetString());
        Assert.Contains("Verapamil", alert.GetProperty("summary").GetString());
        Assert.Contains("What to do:", alert.GetProperty("summary").GetString());

        await client.PostAsJsonAsync($"{url}/{verapamil.GetProperty("id").GetGuid()}/status", new { status = "stopped" });
        Assert.Empty(await AlertsAsync(client, patientId));
    }

    [Fact]
    public async Task GivenDigoxinActiveAndVerapamilStopped_WhenListed_ThenNoAlert()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "197604", display = "Digoxin", status = "active" });
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "897718", display = "Verapamil", status = "stopped" });
        Assert.Empty(await AlertsAsync(client, patientId));
    }

    [Fact]
    public async Task GivenActiveDrugOutsideTheMap_WhenListed_ThenCheckNotPossibleAlert()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "99999999", display = "Mystery pill", status = "active" });
        Assert.Equal(InteractionCatalog.CheckNotPossible, Assert.Single(await AlertsAsync(client, patientId)).GetProperty("ruleId").GetString());
    }

    [Fact]
    public async Task GivenAnUnmappedProductAlreadyActive_WhenAddedAgain_Then201_OneCheckNotPossibleAlert_AndADuplicateTherapyAlert()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        var url = $"/api/medications/patients/{patientId}/medications";
        var body = new { rxNormCode = "310798", display = "Hydrochlorothiazide 25 MG Oral Tablet", status = "active" };

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(url, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(url, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(url, body)).StatusCode);

        Assert.Equal(3, (await client.GetFromJsonAsync<List<JsonElement>>(url))!.Count);
        var alerts = await AlertsAsync(client, patientId);
        Assert.Equal(2, alerts.Count);
        Assert.Single(alerts, a => a.GetProperty("ruleId").GetString() == InteractionCatalog.CheckNotPossible);
        var duplicate = Assert.Single(alerts, a => a.GetProperty("ruleId").GetString() == InteractionCatalog.DuplicateTherapy);
        Assert.Contains("310798", duplicate.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task GivenAStoppedCopyOfAnActiveUnmappedProduct_WhenReactivated_Then200AndDuplicateTherapyAlert_AndStoppingItResolvesOnlyThatAlert()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        var url = $"/api/medications/patients/{patientId}/medications";
        await client.PostAsJsonAsync(url, new { rxNormCode = "310798", display = "HCTZ 25", status = "active" });
        var stopped = await (await client.PostAsJsonAsync(url, new { rxNormCode = "310798", display = "HCTZ 25", status = "stopped" })).Content.ReadFromJsonAsync<JsonElement>();
        var statusUrl = $"{url}/{stopped.GetProperty("id").GetGuid()}/status";

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(statusUrl, new { status = "active" })).StatusCode);
        Assert.Contains(await AlertsAsync(client, patientId), a => a.GetProperty("ruleId").GetString() == InteractionCatalog.DuplicateTherapy);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(statusUrl, new { status = "stopped" })).StatusCode);
        Assert.Equal(InteractionCatalog.CheckNotPossible, Assert.Single(await AlertsAsync(client, patientId)).GetProperty("ruleId").GetString());
    }

    [Fact]
    public async Task GivenImportDeliveredTwiceUnderNewMessageIds_WhenConsumed_ThenOneEntryPerExternalId()
    {
        await factory.WaitHealthyAsync();
        var patientId = Guid.NewGuid();
        var practiceId = Guid.NewGuid();
        var bus = factory.Services.GetRequiredService<IBus>();
        var import = new MedicationsImported(practiceId, patientId, [new MedicationStatement("855332", "Warfarin", "active", DateTime.UtcNow.AddDays(-10), "mr-1"), new MedicationStatement("198014", "Naproxen 500", "active", DateTime.UtcNow.AddDays(-9), "mr-2")], DateTime.UtcNow);
        await bus.Publish(import);
        await bus.Publish(import);

        await TestInfrastructure.Eventually(() => factory.WithDb(db => db.Alerts.CountAsync(a => a.PatientId == patientId)), n => n == 1, TimeSpan.FromSeconds(30), "interaction alert from import");
        await Task.Delay(500);
        Assert.Equal(2, await factory.WithDb(db => db.Medications.CountAsync(m => m.PatientId == patientId)));
        Assert.Equal(1, await factory.WithDb(db => db.Alerts.CountAsync(a => a.PatientId == patientId)));
    }

    [Fact]
    public async Task GivenAnImportWithTwoActiveRequestsForOneUnmappedProduct_WhenConsumed_ThenBothAreListed_WithOneCheckNotPossibleAndOneDuplicateTherapyAlert()
    {
        await factory.WaitHealthyAsync();
        var patientId = Guid.NewGuid();
        var practiceId = Guid.NewGuid();
        var bus = factory.Services.GetRequiredService<IBus>();
        await bus.Publish(new MedicationsImported(practiceId, patientId, [
            new MedicationStatement("310798", "Hydrochlorothiazide 25 MG Oral Tablet", "active", DateTime.UtcNow.AddDays(-30), "mr-hctz-1"),
            new MedicationStatement("310798", "Hydrochlorothiazide 25 MG Oral Tablet", "active", DateTime.UtcNow.AddDays(-2), "mr-hctz-2")], DateTime.UtcNow));

        await TestInfrastructure.Eventually(() => factory.WithDb(db => db.Medications.CountAsync(m => m.PatientId == patientId)), n => n == 2, TimeSpan.FromSeconds(30), "both imported HCTZ requests");
        var ruleIds = await factory.WithDb(db => db.Alerts.Where(a => a.PatientId == patientId && a.ResolvedAt == null).Select(a => a.RuleId).ToListAsync());
        Assert.Equal([InteractionCatalog.DuplicateTherapy, InteractionCatalog.CheckNotPossible], ruleIds.Order());
        Assert.Equal(2, await factory.WithDb(db => db.OutboxMessages.CountAsync(m => m.MessageType == typeof(InteractionDetected).FullName && m.Payload.Contains(patientId.ToString()))));
    }

    [Fact]
    public async Task GivenReconciliation_WhenItStopsTheNsaid_ThenRecordedAndAlertResolved()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "855332", display = "Warfarin", status = "active" });
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "849574", display = "Naproxen", status = "active" });
        var rec = await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/reconciliations", new { discrepancies = "patient stopped naproxen", changes = new[] { new { rxNormCode = "849574", status = "stopped" } } });
        Assert.Equal(HttpStatusCode.Created, rec.StatusCode);
        Assert.Empty(await AlertsAsync(client, patientId));
    }

    [Fact]
    public async Task GivenAMedicationIdThatDoesNotExist_WhenReconciled_Then422NamingTheChange_AndNothingWritten()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        var naproxen = await (await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "849574", display = "Naproxen", status = "active" })).Content.ReadFromJsonAsync<JsonElement>();

        var response = await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/reconciliations", new
        {
            discrepancies = "naproxen stopped; metformin id from an old list",
            changes = new object[]
            {
                new { medicationId = naproxen.GetProperty("id").GetGuid(), status = "stopped" },
                new { medicationId = Guid.NewGuid(), rxNormCode = "860975", display = "Metformin", status = "active" },
            },
        });

        await AssertRefusedAndNothingWrittenAsync(response, patientId, "changes[1].medicationId");
    }

    [Fact]
    public async Task GivenAMedicationIdOfAnotherPatient_WhenReconciled_Then422NamingTheChange_AndNothingWritten()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var otherId = Guid.NewGuid();
        await factory.WithDb(db =>
        {
            db.Patients.Add(new PatientView { Id = otherId, PracticeId = practiceId });
            return db.SaveChangesAsync();
        });
        var client = await factory.MemberAsync("care-coordinator", practiceId);
        await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/medications", new { rxNormCode = "849574", display = "Naproxen", status = "active" });
        var others = await (await client.PostAsJsonAsync($"/api/medications/patients/{otherId}/medications", new { rxNormCode = "855332", display = "Warfarin", status = "active" })).Content.ReadFromJsonAsync<JsonElement>();

        var response = await client.PostAsJsonAsync($"/api/medications/patients/{patientId}/reconciliations", new
        {
            discrepancies = "wrong chart",
            changes = new[] { new { medicationId = others.GetProperty("id").GetGuid(), status = "stopped" } },
        });

        await AssertRefusedAndNothingWrittenAsync(response, patientId, "changes[0].medicationId");
        Assert.Equal(MedicationStatus.Active, await factory.WithDb(db => db.Medications.Where(m => m.PatientId == otherId).Select(m => m.Status).SingleAsync()));
    }

    private async Task AssertRefusedAndNothingWrittenAsync(HttpResponseMessage response, Guid patientId, string field)
    {
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("MEDICATION_NOT_ON_LIST", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), field);
        Assert.Equal(0, await factory.WithDb(db => db.Reconciliations.CountAsync(r => r.PatientId == patientId)));
        var meds = await factory.WithDb(db => db.Medications.Where(m => m.PatientId == patientId).ToListAsync());
        Assert.Equal(MedicationStatus.Active, Assert.Single(meds).Status);
    }

    [Fact]
    public async Task GivenDiscrepanciesOverTwoThousandCharacters_WhenReconciled_Then400FieldTooLongAndNothingStored()
    {
        var (patientId, practiceId) = await SeedPatientAsync();

        var response = await (await factory.MemberAsync("care-coordinator", practiceId)).PostAsJsonAsync($"/api/medications/patients/{patientId}/reconciliations", new { discrepancies = new string('d', 2001), changes = Array.Empty<object>() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("FIELD_TOO_LONG", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("discrepancies", out _));
        Assert.Equal(0, await factory.WithDb(db => db.Reconciliations.CountAsync(r => r.PatientId == patientId)));
    }

    [Fact]
    public async Task GivenMoreThanOneHundredChanges_WhenReconciled_Then400TooManyItems()
    {
        var (patientId, practiceId) = await SeedPatientAsync();
        var changes = Enumerable.Range(0, 101).Select(_ => new { rxNormCode = "855332", display = "Warfarin", status = "active" }).ToArray();

        var response = await (await factory.MemberAsync("care-coordinator", practiceId)).PostAsJsonAsync($"/api/medications/patients/{patientId}/reconciliations", new { discrepancies = "none", changes });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("TOO_MANY_ITEMS", problem.GetProperty("rule").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("changes", out _));
        Assert.Equal(0, await factory.WithDb(db => db.Reconciliations.CountAsync(r => r.PatientId == patientId)));
    }
}

public sealed class InteractionCatalogTests
{
    [SkippableFact]
    public void GivenEveryProductOfTheSyntheaSubset_WhenResolved_ThenTheMapCoversIt()
    {
        var csv = Path.Combine(TestInfrastructure.RepoRoot, "..", "shared", "data", "terminology", "rxnorm", "rxnorm_subset_from_synthea_r4.csv");
        Skip.IfNot(File.Exists(csv), $"shared data not present at {csv}");
        var codes = File.ReadLines(csv).Skip(1).Select(l => l.Split(',')[0]).Where(c => c.Length > 0).ToList();
        Assert.All(codes, c => Assert.True(InteractionCatalog.Default.CanResolve(c), c));
    }

    [Fact]
    public void GivenTwoCopiesOfAnUnmappedAndOfAnInteractingProduct_WhenChecked_ThenEachFindingOnce_WithDistinctKeys()
    {
        var findings = InteractionCatalog.Default.Check([
            new ActiveMedication("310798", "HCTZ"), new ActiveMedication("310798", "HCTZ"),
            new ActiveMedication("855332", "Warfarin"), new ActiveMedication("855332", "Warfarin"), new ActiveMedication("849574", "Naproxen")]);

        Assert.Equal(findings.Count, findings.Select(f => f.Key).Distinct().Count());
        Assert.Single(findings, f => f.RuleId == InteractionCatalog.CheckNotPossible);
        Assert.Single(findings, f => f.RuleId == "warfarin-nsaids");
        Assert.Equal(["310798", "855332"], findings.Where(f => f.RuleId == InteractionCatalog.DuplicateTherapy).Select(f => f.Key.Split(':')[1]).Order());
    }

    [Fact]
    public void GivenOnlyAspirinWithWarfarin_WhenChecked_ThenNoNsaidAlert()
        => Assert.Empty(InteractionCatalog.Default.Check([new ActiveMedication("855332", "Warfarin"), new ActiveMedication("243670", "Aspirin 81")]));

    [Theory]
    [InlineData("197604", "834357", "digoxin-amiodarone-verapamil")]
    [InlineData("312961", "21212", "statin-strong-cyp3a4-inhibitors")]
    [InlineData("316672", "28031", "statin-strong-cyp3a4-inhibitors")]
    [InlineData("105586", "10829", "methotrexate-trimethoprim")]
    [InlineData("57258", "2551", "tizanidine-cyp1a2-inhibitors")]
    [InlineData("57258", "42355", "tizanidine-cyp1a2-inhibitors")]
    [InlineData("858069", "835900", "colchicine-cyp3a4-pgp-inhibitors")]
    [InlineData("705129", "136411", "pde5-inhibitors-nitrates")]
    [InlineData("9997", "8591", "potassium-sparing-diuretics-potassium")]
    [InlineData("833036", "9997", "ace-inhibitors-potassium")]
    [InlineData("855332", "834357", "warfarin-amiodarone")]
    [InlineData("309362", "7646", "clopidogrel-omeprazole")]
    public void GivenAHighPriorityPairActive_WhenChecked_ThenItsRuleFires(string first, string second, string ruleId)
        => Assert.Contains(InteractionCatalog.Default.Check([new ActiveMedication(first, "a"), new ActiveMedication(second, "b")]), f => f.RuleId == ruleId);

    private static JsonElement Data()
        => JsonDocument.Parse(File.ReadAllText(Path.Combine(TestInfrastructure.RepoRoot, "src", "CcmPlatform.Medications", "Data", "interactions.json"))).RootElement;

    [Fact]
    public void GivenTheInteractionData_WhenRead_ThenEveryRuleHasASourceASeverityAndWhatToDo()
    {
        var rules = Data().GetProperty("rules").EnumerateArray().ToList();
        Assert.True(rules.Count >= 10, $"{rules.Count} rules");
        Assert.All(rules, r =>
        {
            var id = r.GetProperty("id").GetString();
            foreach (var field in new[] { "name", "summary", "action", "source" })
            {
                Assert.False(string.IsNullOrWhiteSpace(r.TryGetProperty(field, out var v) ? v.GetString() : null), $"{id}: {field}");
            }

            Assert.Contains(r.GetProperty("severity").GetString()!, InteractionCatalog.Severities);
            Assert.NotEmpty(r.GetProperty("objects").EnumerateArray());
            Assert.NotEmpty(r.GetProperty("precipitants").EnumerateArray());
        });
    }

    [Fact]
    public void GivenTheInteractionData_WhenRead_ThenEveryRuleCodeIsAnIngredientTheProductMapAgreesWith()
    {
        var data = Data();
        var products = data.GetProperty("products").EnumerateArray().ToList();
        var productCodes = products.Select(p => p.GetProperty("rxcui").GetString()!).ToHashSet();
        var mapIngredients = products.SelectMany(p => p.GetProperty("ingredients").EnumerateArray())
            .Select(i => (Name: i.GetProperty("name").GetString()!, Code: i.GetProperty("rxcui").ValueKind == JsonValueKind.String ? i.GetProperty("rxcui").GetString() : null))
            .Distinct().ToList();
        var ruleIngredients = data.GetProperty("rules").EnumerateArray()
            .SelectMany(r => r.GetProperty("objects").EnumerateArray().Concat(r.GetProperty("precipitants").EnumerateArray()))
            .Select(i => (Name: i.GetProperty("name").GetString()!, Code: i.GetProperty("rxcui").GetString()!))
            .Distinct().ToList();

        Assert.All(ruleIngredients, i =>
        {
            // A product code here would match only that one product, not every product containing the ingredient.
            Assert.DoesNotContain(i.Code, productCodes);
            Assert.Single(ruleIngredients, o => o.Code == i.Code);
            Assert.Single(ruleIngredients, o => o.Name == i.Name);

            // The gap this guards: a product whose ingredient takes part in a rule but is mapped without the code never alerts.
            Assert.All(mapIngredients.Where(m => m.Name == i.Name), m => Assert.Equal(i.Code, m.Code));
            Assert.All(mapIngredients.Where(m => m.Code == i.Code), m => Assert.Equal(i.Name, m.Name));
            Assert.True(InteractionCatalog.Default.CanResolve(i.Code), i.Code);
        });
    }
}
