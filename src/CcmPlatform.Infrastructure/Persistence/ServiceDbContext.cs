using CcmPlatform.Infrastructure.Messaging;
using Microsoft.EntityFrameworkCore;

namespace CcmPlatform.Infrastructure.Persistence;

/// <summary>
/// Base of every service's DbContext: carries the outbox and inbox tables so that a business change,
/// the events it causes and the messages it consumed commit in one SaveChanges.
/// Each service derives one context, then one subclass per provider so both migration sets live in
/// the service assembly (see docs/adr/0003-two-migration-sets.md).
/// </summary>
public abstract class ServiceDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    /// <summary>Set while a save that adds outbox rows is in flight, so the relay is woken only after it commits.</summary>
    internal bool OutboxRowsSaving { get; set; }

    /// <summary>Stages an integration event to be published after this context's next successful SaveChanges.</summary>
    public void Outbox<TEvent>(TEvent integrationEvent, DateTime nowUtc) where TEvent : class
        => OutboxMessages.Add(OutboxMessage.Create(integrationEvent, nowUtc));

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(b =>
        {
            b.ToTable("OutboxMessages");
            b.HasKey(x => x.Id);
            b.Property(x => x.MessageType).HasMaxLength(300);
            b.Property(x => x.LastError).HasMaxLength(2000);
            b.HasIndex(x => new { x.SentAt, x.NextAttemptAt });
        });
        modelBuilder.Entity<InboxMessage>(b =>
        {
            b.ToTable("InboxMessages");
            b.HasKey(x => new { x.MessageId, x.Consumer });
            b.Property(x => x.Consumer).HasMaxLength(200);
        });
    }
}
