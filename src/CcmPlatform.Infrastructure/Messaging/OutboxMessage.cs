using System.Text.Json;
using CcmPlatform.Contracts;

namespace CcmPlatform.Infrastructure.Messaging;

/// <summary>An integration event waiting to be published. Its id becomes the MassTransit MessageId.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; init; }

    /// <summary>Full name of the event type in the Contracts assembly.</summary>
    public required string MessageType { get; init; }

    public required string Payload { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? SentAt { get; set; }

    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public static OutboxMessage Create<TEvent>(TEvent integrationEvent, DateTime nowUtc) where TEvent : class
    {
        var type = integrationEvent.GetType();
        if (type.Assembly != typeof(IIntegrationEvent).Assembly)
        {
            throw new ArgumentException($"{type.Name} is not a contract: integration events live in CcmPlatform.Contracts.", nameof(integrationEvent));
        }

        return new OutboxMessage
        {
            // Version 7 ids sort by creation time, which keeps the relay's order stable.
            Id = Guid.CreateVersion7(nowUtc),
            MessageType = type.FullName!,
            Payload = JsonSerializer.Serialize(integrationEvent, type, ContractJson.Options),
            CreatedAt = nowUtc,
            NextAttemptAt = nowUtc,
        };
    }

    public object Deserialize(out Type type)
    {
        type = typeof(IIntegrationEvent).Assembly.GetType(MessageType)
            ?? throw new InvalidOperationException($"Unknown contract type {MessageType}.");
        return JsonSerializer.Deserialize(Payload, type, ContractJson.Options)
            ?? throw new InvalidOperationException($"Empty payload for {MessageType}.");
    }
}

/// <summary>A message a consumer has already handled; the composite key makes redelivery a no-op.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; init; }

    public required string Consumer { get; init; }

    public DateTime ProcessedAt { get; init; }
}

internal static class ContractJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
