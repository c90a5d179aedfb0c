using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CcmPlatform.Infrastructure.Security;

namespace CcmPlatform.Cli.Demo;

/// <summary>Calls the gateway as a given roster member; a non-success answer stops the demo with the server's problem text.</summary>
public sealed class GatewayClient(HttpClient http, string signingKey)
{
    public Guid? PracticeId { get; set; }

    public string TokenFor(Guid subject, string role) => DevelopmentTokens.Create(signingKey, subject, role, PracticeId);

    public async Task<JsonNode> SendAsync(HttpMethod method, string path, Actor actor, object? body = null, string? rawBody = null, string contentType = "application/json", IDictionary<string, string>? headers = null)
    {
        using var response = await SendRawAsync(method, path, actor, body, rawBody, contentType, headers);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException($"{method} {path} as {actor.Name} → {(int)response.StatusCode}: {text}");
        }

        return string.IsNullOrWhiteSpace(text) ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, Actor actor, object? body = null, string? rawBody = null, string contentType = "application/json", IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(actor.Id, actor.Role));
        if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, Encoding.UTF8, contentType);
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: DemoFixture.Json);
        }

        foreach (var (k, v) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(k, v);
        }

        return await http.SendAsync(request);
    }

    public Task<JsonNode> GetAsync(string path, Actor actor) => SendAsync(HttpMethod.Get, path, actor);

    public Task<JsonNode> PostAsync(string path, Actor actor, object? body) => SendAsync(HttpMethod.Post, path, actor, body);

    public async Task<string> GetTextAsync(string path, Actor actor)
    {
        using var response = await SendRawAsync(HttpMethod.Get, path, actor);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new CliException($"GET {path} → {(int)response.StatusCode}: {text}");
    }
}

/// <summary>Who acts: a roster member (or the bootstrap administrator) with a role.</summary>
public sealed record Actor(Guid Id, string Role, string Name);

public static class JsonNodeExtensions
{
    public static Guid Id(this JsonNode node, string name = "id")
        => node[name] is { } v && Guid.TryParse(v.GetValue<string>(), out var g) ? g : throw new CliException($"response has no {name}: {node.ToJsonString()}");

    public static string? Str(this JsonNode? node, string name) => node?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?[name]?.ToJsonString();

    public static int Int(this JsonNode? node, string name) => node?[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;

    /// <summary>A count given either as a number or as the array it counts.</summary>
    public static int Count(this JsonNode? node, string name) => node?[name] is JsonArray a ? a.Count : node.Int(name);

    public static long Long(this JsonNode? node, string name) => node?[name] is JsonValue v && v.TryGetValue<long>(out var i) ? i : 0;

    public static JsonArray Arr(this JsonNode? node, string? name = null)
        => (name is null ? node : node?[name]) as JsonArray ?? (node?["items"] as JsonArray) ?? [];

    public static string Pretty(this JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
