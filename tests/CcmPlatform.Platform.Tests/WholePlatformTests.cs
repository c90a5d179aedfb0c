using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using CcmPlatform.Cli.Demo;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;

namespace CcmPlatform.Platform.Tests;

[Collection(PlatformCollection.Name)]
public sealed class WholePlatformTests(PlatformFixture platform)
{
    private static readonly string[] ThreePatients =
    [
        "Adan_Portillo_22bbe238-220e-495c-8abc-0ce3aa28a605.json",
        "Gayla_Ferry_259bc6c6-9c1d-43e9-bd25-7539cf07f8ac.json",
        "Kirsten_Witting_a09212a3-af3e-4194-b1d1-3f0a543222f6.json",
    ];

    [Fact]
    [Trait("Rule", "R-CODE-1")]
    [Trait("Rule", "R-CLOSE-1")]
    [Trait("Rule", "R-CLOSE-2")]
    public async Task GivenThreeSyntheaPatientsThroughTheGateway_WhenTheMonthCloses_ThenClaimsMatchTheFixture_AndStayIdenticalWithSchedulingStopped()
    {
        var work = Path.Combine(platform.StateDirectory, "whole-" + Guid.NewGuid().ToString("N")[..8]);
        var data = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
        foreach (var file in ThreePatients)
        {
            File.Copy(Path.Combine(TestInfrastructure.SampleDirectory, file), Path.Combine(data, file));
        }

        var fixtureJson = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestInfrastructure.RepoRoot, "data", "demo", "fixture.json")))!;
        var patients = fixtureJson["patients"]!.AsArray();
        foreach (var p in patients.ToList().Where(p => !ThreePatients.Contains(p!["file"]!.GetValue<string>())))
        {
            patients.Remove(p);
        }

        var fixturePath = Path.Combine(work, "fixture.json");
        await File.WriteAllTextAsync(fixturePath, fixtureJson.ToJsonString());
        var outDir = Path.Combine(work, "out");

        var exit = await DemoMonth.RunAsync(new DemoOptions(platform.Gateway.ToString(), platform.KeyFile, data, fixturePath, "2025-03", outDir));

        Assert.Equal(0, exit);
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outDir, "summary.json")))!;
        Assert.True(summary["matchesFixture"]!.GetValue<bool>(), summary.ToJsonString());
        var practiceId = summary["practiceId"]!.GetValue<string>();
        var before = await ClaimsAsync(practiceId);
        Assert.Equal(2, before.Count);
        var expected = fixtureJson["patients"]!.AsArray()
            .Where(p => p!["expected"]!["outcome"]!.GetValue<string>() == "Claim")
            .SelectMany(p => p!["expected"]!["lines"]!.AsArray().Select(l => $"{l!["code"]}x{l["units"]}={l["amountCents"]}"))
            .Order().ToList();
        Assert.Equal(expected, Lines(before));

        // Billing's ledgers come from events only: with Scheduling down, a re-close gives the same claims.
        await platform.App.ResourceCommands.ExecuteCommandAsync("scheduling", KnownResourceCommands.StopCommand);
        try
        {
            // DCP reports a stopped process as Exited, Finished or (briefly) Unknown; anything but running will do.
            await platform.App.ResourceNotifications.WaitForResourceAsync(
                "scheduling",
                e => e.Snapshot.State?.Text is { } state && state != KnownResourceStates.Running && state != KnownResourceStates.Starting && state != "Stopping",
                new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            using var billing = platform.Client(Roles.Billing, practiceId: Guid.Parse(practiceId));
            var close = await billing.PostAsync($"/api/billing/practices/{practiceId}/months/2025-03/close", JsonContent.Create(new { }));
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
            var after = await ClaimsAsync(practiceId);
            Assert.Equal(Ids(before), Ids(after));
            Assert.Equal(Lines(before), Lines(after));
        }
        finally
        {
            await platform.App.ResourceCommands.ExecuteCommandAsync("scheduling", KnownResourceCommands.StartCommand);
            await platform.App.ResourceNotifications.WaitForResourceHealthyAsync("scheduling", new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);
        }
    }

    [Fact]
    public async Task GivenNoToken_WhenCallingAnyServiceThroughTheGateway_Then401ProblemDetails_AndWithACareCoordinatorToken200()
    {
        using var anonymous = platform.Client();
        foreach (var path in new[] { "/api/patients", "/api/careplans/plans/00000000-0000-0000-0000-000000000001", "/api/medications/patients/00000000-0000-0000-0000-000000000001/medications", "/api/scheduling/timers/current", "/api/billing/fee-schedules" })
        {
            var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var coordinator = platform.Client(Roles.CareCoordinator, practiceId: Guid.NewGuid());
        var ok = await coordinator.GetAsync("/api/patients");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/nowhere", null, 404, "NOT_FOUND")]
    [InlineData("GET", "/api/nosuch/things", null, 404, "NOT_FOUND")]
    [InlineData("GET", "/api/scheduling/nosuch", null, 404, "NOT_FOUND")]
    [InlineData("DELETE", "/api/scheduling/time-entries", null, 405, "METHOD_NOT_ALLOWED")]
    [InlineData("POST", "/api/scheduling/time-entries", "text/plain", 415, "UNSUPPORTED_MEDIA_TYPE")]
    public async Task GivenATokenThroughTheGateway_WhenNoRouteMethodOrMediaTypeFits_ThenTheProblemCarriesARuleAndSaysWhatToDo(string method, string path, string? contentType, int status, string rule)
    {
        using var coordinator = platform.Client(Roles.CareCoordinator, practiceId: Guid.NewGuid());
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            request.Content = new StringContent("minutes=10", System.Text.Encoding.UTF8, contentType);
        }

        var response = await coordinator.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(rule, problem["rule"]?.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task GivenTheGateway_WhenTheAggregatedOpenApiIsRead_ThenEveryServiceIsPresentWithDistinctSchemaNames()
    {
        using var client = platform.Client();
        var doc = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var service in new[] { "patients", "careplans", "medications", "scheduling", "billing" })
        {
            Assert.Contains(paths, p => p.StartsWith($"/api/{service}", StringComparison.Ordinal));
        }

        var schemas = doc["components"]!["schemas"]!.AsObject().Select(s => s.Key).ToList();
        Assert.NotEmpty(schemas);
        Assert.All(schemas, s => Assert.Matches("^(Patients|CarePlans|Medications|Scheduling|Billing)", s));
        Assert.Null(doc["info"]!["x-missing-services"]);
        var dangling = Refs(doc).Where(r => !schemas.Contains(r["#/components/schemas/".Length..].Split('/')[0])).Distinct().ToList();
        Assert.True(dangling.Count == 0, "Unresolved $ref after merging: " + string.Join(", ", dangling));
        var timeEntry = doc["paths"]!["/api/scheduling/time-entries"]!["post"]!;
        Assert.NotNull(timeEntry["requestBody"]!["content"]!["application/json"]!["example"]);
        Assert.NotNull(timeEntry["responses"]!["409"]!["content"]!["application/problem+json"]);
        var docs = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }

    private static IEnumerable<string> Refs(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v && v.GetValue<string>().StartsWith("#/components/schemas/", StringComparison.Ordinal)
            ? [v.GetValue<string>()]
            : Refs(p.Value)),
        JsonArray a => a.SelectMany(Refs),
        _ => [],
    };

    private async Task<JsonArray> ClaimsAsync(string practiceId)
    {
        using var billing = platform.Client(Roles.Billing, practiceId: Guid.Parse(practiceId));
        return JsonNode.Parse(await billing.GetStringAsync($"/api/billing/practices/{practiceId}/months/2025-03/claims"))!.AsArray();
    }

    private static List<string> Ids(JsonArray claims) => claims.Select(c => c!["claimId"]!.GetValue<string>()).Order().ToList();

    private static List<string> Lines(JsonArray claims) => claims
        .SelectMany(c => c!["lines"]!.AsArray().Select(l => $"{l!["code"]!.GetValue<string>()}x{l["units"]}={l["amountCents"]}"))
        .Order().ToList();
}
