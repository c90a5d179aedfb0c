using System.Net;
using System.Net.Http.Json;
using CcmPlatform.Infrastructure.Http;
using CcmPlatform.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace CcmPlatform.Infrastructure.Tests;

/// <summary>The Idempotency-Key contract of architecture.md, against a real Redis.</summary>
public sealed class IdempotencyKeyTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private int _calls;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(TestInfrastructure.Cache));
        builder.Services.AddCcmProblemDetails();
        _app = builder.Build();
        _app.UseCcmProblemDetails();
        _app.UseMiddleware<IdempotencyMiddleware>("test-" + Guid.NewGuid().ToString("N"));
        _app.MapPost("/things", (Thing thing) =>
        {
            Interlocked.Increment(ref _calls);
            return TypedResults.Created($"/things/{Guid.NewGuid()}", new { thing.Name, Call = _calls });
        });
        _app.MapPost("/fails", () =>
        {
            Interlocked.Increment(ref _calls);
            return Results.StatusCode(503);
        });
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task GivenAPostWithAKey_WhenRepeated_ThenTheFirstResponseIsReplayedAndTheHandlerRunsOnce()
    {
        var key = Guid.NewGuid().ToString();
        var first = await Post("/things", key, new Thing("a"));
        var second = await Post("/things", key, new Thing("a"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.True(second.Headers.TryGetValues(IdempotencyMiddleware.ReplayedHeader, out var replayed) && replayed.Single() == "true");
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task GivenAKeyAlreadyUsed_WhenTheBodyDiffers_Then422AndTheHandlerDoesNotRun()
    {
        var key = Guid.NewGuid().ToString();
        await Post("/things", key, new Thing("a"));
        var other = await Post("/things", key, new Thing("b"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Contains("Idempotency-Key", await other.Content.ReadAsStringAsync());
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task GivenAKeyAlreadyUsed_WhenTheSameJsonIsResentReindentedWithMembersReordered_ThenTheFirstResponseIsReplayed()
    {
        var key = Guid.NewGuid().ToString();
        var first = await PostRaw("/things", key, """{"name":"a","tags":["x","y"],"visit":{"minutes":20,"kind":"Ccm"}}""");
        var again = await PostRaw("/things", key, """
            {
              "visit": { "kind": "Ccm", "minutes": 20 },
              "tags": [ "x", "y" ],
              "name": "a"
            }
            """);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.True(again.Headers.TryGetValues(IdempotencyMiddleware.ReplayedHeader, out var replayed) && replayed.Single() == "true");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(1, _calls);
    }

    [Theory]
    [InlineData("""{"name":"a","tags":["y","x"]}""")]
    [InlineData("""{"name":"a","tags":["x","y"],"extra":1}""")]
    [InlineData("""{"name":"a","tags":["x","y","y"]}""")]
    public async Task GivenAKeyAlreadyUsed_WhenTheJsonDiffersInContent_Then422AndTheHandlerDoesNotRun(string other)
    {
        var key = Guid.NewGuid().ToString();
        await PostRaw("/things", key, """{"name":"a","tags":["x","y"]}""");
        var response = await PostRaw("/things", key, other);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(1, _calls);
    }

    [Fact]
    public async Task GivenAServerError_WhenRetriedWithTheSameKey_ThenTheHandlerRunsAgain()
    {
        var key = Guid.NewGuid().ToString();
        await Post("/fails", key, new Thing("a"));
        var retry = await Post("/fails", key, new Thing("a"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, retry.StatusCode);
        Assert.False(retry.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal(2, _calls);
    }

    private Task<HttpResponseMessage> Post(string path, string key, Thing body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(IdempotencyMiddleware.HeaderName, key);
        return _client.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostRaw(string path, string key, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add(IdempotencyMiddleware.HeaderName, key);
        return _client.SendAsync(request);
    }

    public sealed record Thing(string Name);
}
