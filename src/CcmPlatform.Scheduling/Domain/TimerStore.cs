using System.Text.Json;
using CcmPlatform.Contracts;
using StackExchange.Redis;

namespace CcmPlatform.Scheduling.Domain;

/// <summary>A running timer: one per staff member, kept in Redis so it outlives a replica.</summary>
public sealed record RunningTimer(Guid StaffId, Guid PatientId, CareProgram Program, string ActivityType, DateTime StartedAt, DateTime RecordedAt);

public sealed class TimerStore(IConnectionMultiplexer redis)
{
    // Long enough for a forgotten timer to be found and split or discarded; short enough not to live forever.
    private static readonly TimeSpan Retention = TimeSpan.FromDays(14);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static RedisKey Key(Guid staffId) => $"scheduling:timer:{staffId}";

    /// <summary>False when the staff member already has a timer running.</summary>
    public Task<bool> TryStartAsync(RunningTimer timer)
        => redis.GetDatabase().StringSetAsync(Key(timer.StaffId), JsonSerializer.Serialize(timer, Json), Retention, When.NotExists);

    public async Task<RunningTimer?> GetAsync(Guid staffId)
    {
        var value = await redis.GetDatabase().StringGetAsync(Key(staffId));
        return value.HasValue ? JsonSerializer.Deserialize<RunningTimer>(value.ToString(), Json) : null;
    }

    public Task<bool> RemoveAsync(Guid staffId) => redis.GetDatabase().KeyDeleteAsync(Key(staffId));
}
