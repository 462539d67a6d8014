using System.Threading.Channels;
using Analytics.Contracts;
using Microsoft.Extensions.Options;

namespace Analytics.Transport;

/// <summary>Options of the in-process transport.</summary>
public sealed class InProcessTransportOptions
{
    /// <summary>Events the channel holds before the collector answers 503.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000_000)]
    public int Capacity { get; set; } = 100_000;
}

/// <summary>
/// One-machine transport: a bounded channel. A full channel refuses the whole batch (the collector answers 503 +
/// Retry-After), it never drops silently.
/// </summary>
public sealed class InProcessTransport : IEventTransport, IEventBatchSource
{
    private readonly Channel<CollectedEvent> _channel;
    private readonly int _capacity;
    private readonly Lock _writeLock = new();
    private int _count;
    private long _sequence;
    // Tokens must never repeat across runs, or the store would drop a new batch as a replay of an old one.
    private readonly string _runId = Guid.NewGuid().ToString("N");

    public InProcessTransport(IOptions<InProcessTransportOptions> options)
    {
        _capacity = options.Value.Capacity;
        // Capacity is enforced by _count so a batch is admitted whole or not at all; the channel itself is unbounded.
        _channel = Channel.CreateUnbounded<CollectedEvent>(new UnboundedChannelOptions { SingleReader = true });
    }

    /// <summary>Events waiting to be read.</summary>
    public int Pending => Volatile.Read(ref _count);

    public ValueTask<PublishStatus> PublishAsync(IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0) return ValueTask.FromResult(PublishStatus.Accepted);
        lock (_writeLock)
        {
            if (_count + events.Count > _capacity) return ValueTask.FromResult(PublishStatus.Full);
            Interlocked.Add(ref _count, events.Count);
            foreach (var e in events)
            {
                if (!_channel.Writer.TryWrite(e)) return ValueTask.FromResult(PublishStatus.Unavailable);
            }
        }
        return ValueTask.FromResult(PublishStatus.Accepted);
    }

    public async ValueTask<EventBatch> ReadBatchAsync(int maxEvents, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var reader = _channel.Reader;
        var list = new List<CollectedEvent>(Math.Min(maxEvents, 1024));
        while (list.Count == 0)
        {
            await reader.WaitToReadAsync(cancellationToken);
            Drain(reader, list, maxEvents);
        }
        if (list.Count < maxEvents && maxWait > TimeSpan.Zero)
        {
            using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            window.CancelAfter(maxWait);
            try
            {
                while (list.Count < maxEvents && await reader.WaitToReadAsync(window.Token))
                {
                    Drain(reader, list, maxEvents);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // the batch window closed
            }
        }
        var first = Interlocked.Add(ref _sequence, list.Count) - list.Count;
        Interlocked.Add(ref _count, -list.Count);
        return new EventBatch(list, $"inproc-{_runId}-{first}-{first + list.Count - 1}");
    }

    public ValueTask AcknowledgeAsync(EventBatch batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private static void Drain(ChannelReader<CollectedEvent> reader, List<CollectedEvent> into, int max)
    {
        while (into.Count < max && reader.TryRead(out var e)) into.Add(e);
    }
}
