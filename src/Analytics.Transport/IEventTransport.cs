using Analytics.Contracts;

namespace Analytics.Transport;

/// <summary>Outcome of handing a batch to the transport.</summary>
public enum PublishStatus
{
    /// <summary>Durably accepted (in-process: queued; Kafka: acknowledged by the brokers).</summary>
    Accepted,
    /// <summary>The transport is full; the caller should answer 503 with Retry-After. Nothing was kept.</summary>
    Full,
    /// <summary>The transport cannot take events now (broker unreachable, shutting down). Nothing was kept.</summary>
    Unavailable,
}

/// <summary>
/// The seam between collector and anonymizer, collector side. One implementation per transport
/// (in-process channel, Kafka). A batch is accepted whole or not at all.
/// </summary>
public interface IEventTransport
{
    /// <summary>Hands <paramref name="events"/> to the transport and waits until it holds them.</summary>
    ValueTask<PublishStatus> PublishAsync(IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken);
}

/// <summary>A batch read from the transport, with the position it covers.</summary>
/// <param name="Events">The events, in transport order.</param>
/// <param name="DeduplicationToken">
/// Stable for the same slice of the stream: a replay of the same positions yields the same token, so the store drops
/// a retried or replayed write.
/// </param>
/// <param name="Position">Transport-specific position to acknowledge once the batch is stored.</param>
public sealed record EventBatch(IReadOnlyList<CollectedEvent> Events, string DeduplicationToken, object? Position = null);

/// <summary>The seam, anonymizer side: read a batch, store it, then acknowledge it.</summary>
public interface IEventBatchSource
{
    /// <summary>
    /// Waits for at least one event, then returns up to <paramref name="maxEvents"/> events gathered within
    /// <paramref name="maxWait"/> of the first one.
    /// </summary>
    ValueTask<EventBatch> ReadBatchAsync(int maxEvents, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>Marks <paramref name="batch"/> as durably processed (Kafka: stores and commits its offsets).</summary>
    ValueTask AcknowledgeAsync(EventBatch batch, CancellationToken cancellationToken);
}
