using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace CcmPlatform.Infrastructure.Tests;

/// <summary>
/// What a new user of the API runs into at its edges: enums bound by one name only, problems that always carry a
/// rule and say what to do, and 400s that describe JSON rather than .NET types. Set up as a service is.
/// </summary>
public sealed class RequestEdgesTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Services.AddCcmProblemDetails();
        builder.Services.AddCcmJsonBodies();
        builder.Services.AddCcmOpenApi("edges", typeof(RequestEdgesTests).Assembly);
        _app = builder.Build();
        _app.UseCcmProblemDetails();
        _app.MapPost("/visits", (Visit visit) => TypedResults.Ok(visit));
        _app.MapGet("/visits/{visitId:guid}", (Guid visitId) => TypedResults.Ok(visitId));
        _app.MapGet("/days", (DateOnly asOf) => TypedResults.Ok(asOf));
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("\"Ccm,Pcm\"")]
    [InlineData("\"Pcm, Apcm\"")]
    [InlineData("1")]
    [InlineData("\"1\"")]
    [InlineData("\"Rpm\"")]
    public async Task GivenAnEnumFieldThatIsNotExactlyOneName_WhenPosted_Then400MalformedNamingTheFieldAndTheNames(string kind)
    {
        var response = await PostJson("/visits", $$"""{"name":"a","kind":{{kind}},"startedAt":"2025-03-10T14:00:00Z","minutes":20}""");

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, ProblemDetailsSetup.MalformedRule);
        var message = problem["errors"]!["kind"]![0]!.GetValue<string>();
        Assert.Contains("Ccm, Pcm, Apcm", message);
        Assert.DoesNotContain("CcmPlatform.", message);
    }

    [Theory]
    [InlineData("Pcm")]
    [InlineData("pcm")]
    [InlineData("PCM")]
    public async Task GivenOneEnumNameInAnyCase_WhenPosted_ThenItBindsToThatMember(string kind)
    {
        var response = await PostJson("/visits", $$"""{"name":"a","kind":"{{kind}}","startedAt":"2025-03-10T14:00:00Z","minutes":20}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Pcm", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task GivenAnEnumInABody_WhenTheOpenApiDocumentIsRead_ThenItsSchemaIsAStringOfTheMemberNames()
    {
        var document = await OpenApiDocuments.ReadAsync(_app.Services);

        var schema = document["components"]!["schemas"]![nameof(VisitKind)]!;
        Assert.Equal("string", schema["type"]!.GetValue<string>());
        Assert.Equal(["Ccm", "Pcm", "Apcm"], schema["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        var optional = document["components"]!["schemas"]![nameof(Visit)]!["properties"]!["followup"]!;
        Assert.Equal(["Ccm", "Pcm", "Apcm", null], optional["enum"]!.AsArray().Select(n => n?.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"name":"a","kind":"Ccm","startedAt":"yesterday","minutes":20}""", "startedAt", "date-time")]
    [InlineData("""{"name":"a","kind":"Ccm","startedAt":42,"minutes":20}""", "startedAt", "date-time")]
    [InlineData("""{"name":"a","kind":"Ccm","startedAt":"2025-03-10T14:00:00Z","minutes":"twenty"}""", "minutes", "whole number")]
    [InlineData("""{"name":"a","kind":"Ccm","startedAt":"2025-03-10T14:00:00Z","minutes":20,"goals":[{"targetDate":"soon"}]}""", "goals[0].targetDate", "yyyy-MM-dd")]
    [InlineData("""{"name":"a","kind":"Ccm","startedAt":"2025-03-10T14:00:00Z","minutes":20,"goals":{"targetDate":"2025-04-01"}}""", "goals", "array")]
    [InlineData("""["a"]""", "body", "object")]
    public async Task GivenAValueOfTheWrongJsonType_WhenPosted_Then400SaysWhatJsonTheFieldTakesWithoutDotNetTypeNames(string body, string field, string expected)
    {
        var response = await PostJson("/visits", body);

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, ProblemDetailsSetup.MalformedRule);
        var message = problem["errors"]![field]![0]!.GetValue<string>();
        Assert.Contains(expected, message);
        AssertNoDotNetTypeNames(problem);
    }

    [Fact]
    public async Task GivenNoBodyAtAll_WhenPosted_Then400AskingForAJsonBodyWithoutDotNetTypeNames()
    {
        var response = await _client.PostAsync("/visits", new StringContent("", Encoding.UTF8, "application/json"));

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, ProblemDetailsSetup.MalformedRule);
        Assert.Contains("JSON body", problem["errors"]!["body"]![0]!.GetValue<string>());
        AssertNoDotNetTypeNames(problem);
    }

    [Fact]
    public async Task GivenAQueryValueThatDoesNotParse_WhenRequested_Then400NamingItAndItsFormatWithoutDotNetTypeNames()
    {
        var response = await _client.GetAsync("/days?asOf=tomorrow");

        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, ProblemDetailsSetup.MalformedRule);
        Assert.Contains("yyyy-MM-dd", problem["errors"]!["asOf"]![0]!.GetValue<string>());
        AssertNoDotNetTypeNames(problem);
    }

    [Theory]
    [InlineData("/nowhere")]
    [InlineData("/visits/not-a-uuid")]
    public async Task GivenAPathNoRouteMatches_WhenRequested_Then404ProblemWithRuleNotFoundNamingThePath(string path)
    {
        var problem = await AssertProblem(await _client.GetAsync(path), HttpStatusCode.NotFound, ProblemDetailsSetup.NotFoundRule);

        Assert.Contains(path, problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task GivenAMethodTheRouteDoesNotTake_WhenRequested_Then405ProblemWithRuleNamingTheMethodsItTakes()
    {
        var problem = await AssertProblem(await _client.DeleteAsync($"/visits/{Guid.NewGuid()}"), HttpStatusCode.MethodNotAllowed, ProblemDetailsSetup.MethodNotAllowedRule);

        Assert.Contains("GET", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task GivenABodyThatIsNotJson_WhenPosted_Then415ProblemWithRuleAskingForApplicationJson()
    {
        var response = await _client.PostAsync("/visits", new StringContent("name=a", Encoding.UTF8, "text/plain"));

        var problem = await AssertProblem(response, HttpStatusCode.UnsupportedMediaType, ProblemDetailsSetup.UnsupportedMediaTypeRule);
        Assert.Contains("application/json", problem["detail"]!.GetValue<string>());
    }

    private Task<HttpResponseMessage> PostJson(string path, string json) => _client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<JsonNode> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string rule)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(rule, problem["rule"]?.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        return problem;
    }

    private static void AssertNoDotNetTypeNames(JsonNode problem)
    {
        var text = problem.ToJsonString();
        foreach (var typeName in new[] { "System.", "CcmPlatform.", nameof(Visit), "DateOnly", "Int32", "DateTime " })
        {
            Assert.DoesNotContain(typeName, text);
        }
    }

    public enum VisitKind
    {
        Ccm,
        Pcm,
        Apcm,
    }

    public sealed record Goal(DateOnly TargetDate);

    public sealed record Visit(string Name, VisitKind Kind, DateTime StartedAt, int Minutes, List<Goal>? Goals, VisitKind? Followup = null);
}
