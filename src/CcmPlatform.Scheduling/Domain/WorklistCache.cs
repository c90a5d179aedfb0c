using System.Text.Json;
using StackExchange.Redis;

namespace CcmPlatform.Scheduling.Domain;

/// <summary>
/// Worklists in Redis, shared by every Scheduling replica. Each practice has a version counter;
/// a cached worklist is stored under the version it was computed at, and any committed change that a
/// worklist shows (a time entry, Billing's ledger, a task, an alert, an enrollment) bumps the counter,
/// so readers move to a fresh key and stale entries simply expire.
/// </summary>
public sealed class WorklistCache(IConnectionMultiplexer redis, ILogger<WorklistCache> logger)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static RedisKey VersionKey(Guid practiceId) => $"scheduling:worklist:v:{practiceId}";

    public async Task<(T? Value, long Version)> GetAsync<T>(Guid practiceId, string scope)
        where T : class
    {
        try
        {
            var db = redis.GetDatabase();
            var version = (long?)await db.StringGetAsync(VersionKey(practiceId)) ?? 0;
            var value = await db.StringGetAsync(EntryKey(practiceId, scope, version));
            return (value.HasValue ? JsonSerializer.Deserialize<T>(value.ToString(), Json) : null, version);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Worklist cache unavailable; computing from the database");
            return (null, -1);
        }
    }

    public async Task SetAsync<T>(Guid practiceId, string scope, long version, T value)
    {
        if (version < 0)
        {
            return;
        }

        try
        {
            await redis.GetDatabase().StringSetAsync(EntryKey(practiceId, scope, version), JsonSerializer.Serialize(value, Json), Lifetime);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            logger.LogWarning(e, "Worklist cache unavailable; not caching");
        }
    }

    public async Task InvalidateAsync(IEnumerable<Guid> practiceIds)
    {
        try
        {
            var db = redis.GetDatabase();
            await Task.WhenAll(practiceIds.Select(id => db.StringIncrementAsync(VersionKey(id))));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The change is committed; a cached worklist lives at most Lifetime.
            logger.LogWarning(e, "Could not invalidate cached worklists");
        }
    }

    private static RedisKey EntryKey(Guid practiceId, string scope, long version) => $"scheduling:worklist:{practiceId}:{scope}:{version}";
}
