using CcmPlatform.Infrastructure.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Infrastructure.Messaging;

/// <summary>
/// Idempotent consumer: <see cref="Handle"/> stages changes on the context without saving; the
/// base adds the inbox row and commits both at once, so a redelivered message (same MessageId)
/// changes nothing. Handlers add natural-key checks for the same fact under a new MessageId.
/// A write conflict with a concurrent consumer (two facts for one patient-month at once) is
/// retried here on a clean context a few times before MassTransit's own retry and _error queue.
/// </summary>
public abstract class InboxConsumer<TContext, TMessage>(TContext db, TimeProvider clock) : IConsumer<TMessage>
    where TContext : ServiceDbContext
    where TMessage : class
{
    private const int ConflictAttempts = 5;

    protected TContext Db => db;

    protected TimeProvider Clock => clock;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("Messages must carry a MessageId.");
        var consumer = GetType().Name;
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            if (await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, context.CancellationToken))
            {
                return;
            }

            await Handle(context.Message, context);
            db.InboxMessages.Add(new InboxMessage { MessageId = messageId, Consumer = consumer, ProcessedAt = clock.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(context.CancellationToken);
                return;
            }
            catch (DbUpdateException) when (attempt < ConflictAttempts)
            {
                // Either a concurrent delivery of this message won (the inbox check above ends it),
                // or another message touched the same rows: start again from what is committed.
                await Task.Delay(Random.Shared.Next(5, 25 * attempt), context.CancellationToken);
            }
        }
    }

    protected abstract Task Handle(TMessage message, ConsumeContext<TMessage> context);
}
