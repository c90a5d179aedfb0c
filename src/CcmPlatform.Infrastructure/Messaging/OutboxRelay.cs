using System.Diagnostics.Metrics;
using CcmPlatform.Infrastructure.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CcmPlatform.Infrastructure.Messaging;

/// <summary>
/// Publishes committed outbox rows, oldest first. A row is marked sent only after the broker
/// confirmed it, so a crash between publish and mark re-sends it (at-least-once); consumers' inboxes
/// make that harmless. Failures back off per row and never block the rows behind them.
/// </summary>
public sealed class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IBus bus,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService
    where TContext : ServiceDbContext
{
    private const int BatchSize = 512;
    private const int PublishWindow = 64;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);
    private static readonly Meter Meter = new(ServiceDefaultsExtensions.CcmMeterName);
    private static readonly Counter<long> Published = Meter.CreateCounter<long>("ccm.outbox.published");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("ccm.outbox.publish_failures");
    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>("ccm.outbox.lag", "ms");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int published;
            try
            {
                published = await DrainOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Outbox relay pass failed; retrying");
                published = 0;
            }

            if (published < BatchSize)
            {
                try
                {
                    await signal.WaitAsync(PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<bool> PublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        try
        {
            var message = row.Deserialize(out var type);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(PublishTimeout);
            await bus.Publish(message, type, ctx => ctx.MessageId = row.Id, timeout.Token);
            row.SentAt = clock.GetUtcNow().UtcDateTime;
            row.LastError = null;
            Published.Add(1);
            Lag.Record((row.SentAt.Value - row.CreatedAt).TotalMilliseconds);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            row.Attempts++;
            row.LastError = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
            var backoff = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(row.Attempts, 7))));
            row.NextAttemptAt = clock.GetUtcNow().UtcDateTime + backoff;
            Failed.Add(1);
            logger.LogWarning("Publishing outbox message {MessageId} ({Type}) failed, attempt {Attempt}: {Error}", row.Id, row.MessageType, row.Attempts, ex.Message);
            return false;
        }
    }

    /// <summary>Publishes one batch of due rows; returns how many were sent.</summary>
    public async Task<int> DrainOnceAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.OutboxMessages
            .Where(m => m.SentAt == null && m.NextAttemptAt <= now)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        // Up to 64 publishes in flight: broker confirms, not our loop, set the pace (environment.md
        // measured 4.5k/s one at a time, 12.8k/s with 64 in flight). Consumers never rely on order
        // across event types anyway: each type has its own queue.
        var sent = 0;
        foreach (var window in due.Chunk(PublishWindow))
        {
            var results = await Task.WhenAll(window.Select(row => PublishAsync(row, cancellationToken)));
            sent += results.Count(ok => ok);
        }

        await db.SaveChangesAsync(CancellationToken.None);
        return sent;
    }
}
