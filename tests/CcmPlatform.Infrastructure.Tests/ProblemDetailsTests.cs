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

/// <summary>Bad input gets RFC 9457 problems that name the field and the rule, in Production as in Development.</summary>
public sealed class ProblemDetailsTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Services.AddCcmProblemDetails();
        _app = builder.Build();
        _app.UseCcmProblemDetails();
        _app.MapPost("/things", (Thing thing) => thing.Minutes > 240
            ? throw RuleViolationException.Unprocessable("minutes", "R-TIME-6", "An entry is 1 to 240 minutes.")
            : Results.Ok(thing));
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("{\"name\":\"a\",\"minutes\":\"twenty\"}", "minutes")]
    [InlineData("{\"name\":\"a\",\"minutes\":99999999999}", "minutes")]
    [InlineData("{\"name\":", "name")]
    public async Task GivenABodyThatDoesNotBind_WhenPosted_Then400ProblemNamingTheField(string body, string field)
    {
        var response = await _client.PostAsync("/things", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("MALFORMED_REQUEST", problem["rule"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task GivenARuleViolation_WhenPosted_Then422ProblemNamingTheFieldAndRule()
    {
        var response = await _client.PostAsync("/things", new StringContent("{\"name\":\"a\",\"minutes\":241}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("R-TIME-6", problem["rule"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["minutes"]);
    }

    public sealed record Thing(string Name, int Minutes);
}
