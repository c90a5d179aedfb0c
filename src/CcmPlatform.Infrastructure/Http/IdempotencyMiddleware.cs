using System.Security.Cryptography;
using System.Text.Json;
using CcmPlatform.Infrastructure.Security;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace CcmPlatform.Infrastructure.Http;

/// <summary>
/// Idempotency-Key on POST (architecture.md): keyed by (user, method, path, key) in Redis for 24 h.
/// A replay returns the first response with Idempotent-Replayed: true; the same key with another
/// body (compared as canonical JSON: layout and member order do not count) is 422; a key whose first request is still running is 409; 5xx responses are not kept, so
/// the client may retry them.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IConnectionMultiplexer redis, string serviceName)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private static readonly TimeSpan InFlightLease = TimeSpan.FromMinutes(5);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.TryGetValue(HeaderName, out var keyValues))
        {
            await next(context);
            return;
        }

        var key = keyValues.ToString();
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
        {
            await ApiProblems.BadRequest(HeaderName, "IDEMPOTENCY_KEY", "Idempotency-Key must be 1 to 200 characters.").ExecuteAsync(context);
            return;
        }

        var bodyHash = await BodyHashAsync(context.Request, context.RequestAborted);

        var user = context.User.RosterId();
        var redisKey = $"idem:{serviceName}:{user}:POST:{context.Request.Path.Value?.ToLowerInvariant()}:{key}";
        var db = redis.GetDatabase();
        var inFlight = JsonSerializer.Serialize(new StoredResponse(bodyHash, 0, null, null, null));
        if (!await db.StringSetAsync(redisKey, inFlight, InFlightLease, When.NotExists))
        {
            var existing = await db.StringGetAsync(redisKey);
            var stored = existing.HasValue ? JsonSerializer.Deserialize<StoredResponse>(existing.ToString()) : null;
            if (stored is null)
            {
                await ApiProblems.Conflict(HeaderName, "IDEMPOTENCY_KEY", "The first request with this Idempotency-Key is still in progress.").ExecuteAsync(context);
            }
            else if (stored.BodyHash != bodyHash)
            {
                await ApiProblems.Unprocessable(HeaderName, "IDEMPOTENCY_KEY", "This Idempotency-Key was used with a different request body.").ExecuteAsync(context);
            }
            else if (stored.Status == 0)
            {
                await ApiProblems.Conflict(HeaderName, "IDEMPOTENCY_KEY", "The first request with this Idempotency-Key is still in progress.").ExecuteAsync(context);
            }
            else
            {
                context.Response.StatusCode = stored.Status;
                context.Response.Headers[ReplayedHeader] = "true";
                if (stored.ContentType is not null)
                {
                    context.Response.ContentType = stored.ContentType;
                }

                if (stored.Location is not null)
                {
                    context.Response.Headers.Location = stored.Location;
                }

                if (stored.Body is not null)
                {
                    await context.Response.Body.WriteAsync(Convert.FromBase64String(stored.Body), context.RequestAborted);
                }
            }

            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            await db.KeyDeleteAsync(redisKey);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
        if (context.Response.StatusCode >= 500)
        {
            await db.KeyDeleteAsync(redisKey);
            return;
        }

        var completed = new StoredResponse(
            bodyHash,
            context.Response.StatusCode,
            context.Response.ContentType,
            context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
            Convert.ToBase64String(buffer.ToArray()));
        await db.StringSetAsync(redisKey, JsonSerializer.Serialize(completed), Retention);
    }

    /// <summary>
    /// A JSON body is hashed in a canonical form (whitespace dropped, object members in ordinal key order),
    /// so a client that re-serializes the same request differently is still replaying it; anything that is
    /// not JSON is hashed as sent.
    /// </summary>
    public static async Task<string> BodyHashAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, ct);
        request.Body.Position = 0;
        var body = copy.GetBuffer().AsMemory(0, (int)copy.Length);
        return Convert.ToHexString(SHA256.HashData(CanonicalJson(body) ?? body.ToArray()));
    }

    /// <summary>The canonical form of a JSON document, or null when the bytes are not one.</summary>
    public static byte[]? CanonicalJson(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            using var output = new MemoryStream();
            using (var writer = new Utf8JsonWriter(output))
            {
                WriteCanonical(document.RootElement, writer);
            }

            return output.ToArray();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteCanonical(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(property.Value, writer);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(item, writer);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    private sealed record StoredResponse(string BodyHash, int Status, string? ContentType, string? Location, string? Body);
}
