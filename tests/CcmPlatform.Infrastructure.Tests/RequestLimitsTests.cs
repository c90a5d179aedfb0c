using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CcmPlatform.Infrastructure.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace CcmPlatform.Infrastructure.Tests;

/// <summary>Every body has a size cap and every text and list a length cap; refusals name the field.</summary>
public sealed class RequestLimitsTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private int _handled;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Services.AddCcmProblemDetails();
        _app = builder.Build();
        _app.UseCcmProblemDetails();
        _app.UseRequestBodyLimits();
        var api = _app.MapGroup("/api/things");
        api.RequireRequestLimits();
        api.MapPost("/plans", (PlanRequest plan) =>
        {
            Interlocked.Increment(ref _handled);
            return Results.Ok();
        });
        api.MapPost("/import", async (HttpRequest request) => Results.Ok((await new StreamReader(request.Body).ReadToEndAsync()).Length))
            .WithBodyLimit(RequestLimits.MaxImportBodyBytes);
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static PlanRequest Plan(int goals = 1, string description = "A1c", string note = "ok", params string[] codes)
        => new(note, [.. Enumerable.Range(0, goals).Select(_ => new Goal(description, "< 8%"))], [.. codes]);

    [Fact]
    public void GivenRequestsWithinLimits_WhenChecked_ThenNoViolation()
    {
        Assert.Null(RequestLimits.Violation(Plan(goals: RequestLimits.MaxItems, description: new string('d', RequestLimits.MaxTextLength), note: new string('n', RequestLimits.MaxTextLength))));
    }

    [Fact]
    public void GivenANestedTextOverItsLimit_WhenChecked_ThenTheJsonPathAndFieldTooLongAreNamed()
    {
        var v = RequestLimits.Violation(Plan(goals: 3, description: new string('d', RequestLimits.MaxTextLength + 1)));

        Assert.Equal(("goals[0].description", RequestLimits.FieldTooLongRule), (v!.Value.Field, v.Value.Rule));
    }

    [Fact]
    public void GivenAShortFieldOrAListedCodeOverTwoHundred_WhenChecked_ThenFieldTooLong()
    {
        Assert.Equal("goals[0].target", RequestLimits.Violation(new PlanRequest("n", [new Goal("d", new string('t', 201))], []))!.Value.Field);
        Assert.Equal("codes[1]", RequestLimits.Violation(Plan(codes: ["I10", new string('x', 201)]))!.Value.Field);
    }

    [Fact]
    public void GivenAListOverOneHundredItems_WhenChecked_ThenTooManyItemsNamesTheList()
    {
        var v = RequestLimits.Violation(Plan(goals: RequestLimits.MaxItems + 1));

        Assert.Equal(("goals", RequestLimits.TooManyItemsRule), (v!.Value.Field, v.Value.Rule));
        Assert.Contains("101", v.Value.Detail);
    }

    [Fact]
    public async Task GivenANoteOverTheLimit_WhenPosted_Then400ProblemAndTheHandlerNeverRuns()
    {
        var body = $"{{\"note\":\"{new string('n', RequestLimits.MaxTextLength + 1)}\",\"goals\":[],\"codes\":[]}}";

        var response = await _client.PostAsync("/api/things/plans", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(RequestLimits.FieldTooLongRule, problem["rule"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["note"]);
        Assert.Equal(0, _handled);
    }

    [Fact]
    public async Task GivenANullItemInAListOfObjects_WhenPosted_Then400MalformedRequestNamingTheItemAndTheHandlerNeverRuns()
    {
        var response = await _client.PostAsync("/api/things/plans", new StringContent("""{"note":"ok","goals":[{"description":"A1c","target":"< 8%"},null],"codes":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("MALFORMED_REQUEST", problem["rule"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["goals[1]"]);
        Assert.Equal(0, _handled);
    }

    [Fact]
    public async Task GivenABodyOverOneMegabyte_WhenPosted_Then413Problem()
    {
        var body = $"{{\"note\":\"{new string('n', (int)RequestLimits.MaxBodyBytes)}\"}}";

        var response = await _client.PostAsync("/api/things/plans", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(RequestLimits.BodyTooLargeRule, problem["rule"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["body"]);
        Assert.Equal(0, _handled);
    }

    [Fact]
    public async Task GivenAnImportRouteWithARaisedLimit_WhenTwoMegabytesArePosted_ThenAccepted()
    {
        var response = await _client.PostAsync("/api/things/import", new StringContent(new string('x', 2 * 1024 * 1024), Encoding.UTF8, "application/fhir+json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public sealed record Goal(string? Description, string? Target);

    public sealed record PlanRequest(string? Note, List<Goal>? Goals, List<string>? Codes);
}
