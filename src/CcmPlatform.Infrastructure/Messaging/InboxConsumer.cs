using CcmPlatform.Infrastructure.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Infrastructure.Messaging;

/// <summary>
/// Idempotent consumer: <see cref="Handle"/> stages changes on the context without saving; the
/// base adds the inbox row and commits both at once, so a redelivered message (same MessageId)
/// changes nothing. Handlers add natural-key checks for the same fact under a new MessageId.
/// Exceptions propagate so MassTransit retries, then moves the message to the _error queue.
/// </summary>
public abstract class InboxConsumer<TContext, TMessage>(TContext db, TimeProvider clock) : IConsumer<TMessage>
    where TContext : ServiceDbContext
    where TMessage : class
{
    protected TContext Db => db;

    protected TimeProvider Clock => clock;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("Messages must carry a MessageId.");
        var consumer = GetType().Name;
        if (await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, context.CancellationToken))
        {
            return;
        }

        await Handle(context.Message, context);
        db.InboxMessages.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = clock.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent delivery of the same message may have committed first; then ours is a duplicate.
            if (!await AlreadyProcessedAsync(messageId, consumer, context.CancellationToken))
            {
                throw;
            }
        }
    }

    protected abstract Task Handle(TMessage message, ConsumeContext<TMessage> context);

    private async Task<bool> AlreadyProcessedAsync(Guid messageId, string consumer, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, cancellationToken);
    }
}
