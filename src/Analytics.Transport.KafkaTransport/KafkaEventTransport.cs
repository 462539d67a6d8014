using Analytics.Contracts;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Transport.KafkaTransport;

/// <summary>
/// Collector side of the Kafka transport: one shared idempotent producer (acks=all). <see cref="PublishAsync"/> hands
/// every event of the batch to librdkafka at once and answers <see cref="PublishStatus.Accepted"/> only when the
/// brokers acknowledged all of them; concurrent batches share the producer's network batches, nothing waits in line.
/// </summary>
public sealed partial class KafkaEventTransport : IEventTransport, IDisposable
{
    private readonly IProducer<string, byte[]> _producer;
    private readonly RawEventSerializer _serializer;
    private readonly KafkaTransportOptions _options;
    private readonly KafkaTransportMetrics _metrics;
    private readonly ILogger<KafkaEventTransport> _logger;
    private readonly Headers _headers = new() { { RawEventSerializer.SchemaHeader, RawEventSerializer.SchemaV1Bytes.ToArray() } };
    private int _inFlight;
    private volatile bool _disposed;
    private volatile bool _fatal;

    public KafkaEventTransport(
        IOptions<KafkaTransportOptions> options, RawEventSerializer serializer, KafkaTransportMetrics metrics, ILogger<KafkaEventTransport> logger)
    {
        _options = options.Value;
        _serializer = serializer;
        _metrics = metrics;
        _logger = logger;
        _producer = new ProducerBuilder<string, byte[]>(KafkaClientConfigs.Producer(_options))
            .SetErrorHandler((_, e) =>
            {
                if (e.IsFatal) _fatal = true;
                Log.ProducerError(_logger, e.Code, e.IsFatal, e.Reason);
            })
            .SetLogHandler((_, m) => Log.Librdkafka(_logger, m.Facility, m.Message))
            .Build();
    }

    /// <summary>Messages handed to librdkafka and not yet acknowledged or failed.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <inheritdoc />
    public ValueTask<PublishStatus> PublishAsync(IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) return ValueTask.FromResult(PublishStatus.Accepted);
        if (_disposed || _fatal) return ValueTask.FromResult(PublishStatus.Unavailable);
        // The day's raw-data key first (sealing): without it nothing is produced, never plaintext → 503.
        var ready = _serializer.PrepareAsync(events, cancellationToken);
        if (!ready.IsCompletedSuccessfully) return PrepareThenProduceAsync(ready, events, cancellationToken);
        return ready.Result ? Produce(events, cancellationToken) : ValueTask.FromResult(KeysUnavailable());
    }

    private async ValueTask<PublishStatus> PrepareThenProduceAsync(ValueTask<bool> ready, IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken) =>
        await ready ? await Produce(events, cancellationToken) : KeysUnavailable();

    private PublishStatus KeysUnavailable()
    {
        _metrics.Unsealed();
        Log.NotSealed(_logger);
        return PublishStatus.Unavailable;
    }

    private ValueTask<PublishStatus> Produce(IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken)
    {
        if (_disposed || _fatal) return ValueTask.FromResult(PublishStatus.Unavailable);
        // Admit the batch whole or not at all: refusing up front never leaves half a batch in Kafka.
        if (Interlocked.Add(ref _inFlight, events.Count) > _options.MaxInFlightMessages)
        {
            Interlocked.Add(ref _inFlight, -events.Count);
            _metrics.Refused();
            return ValueTask.FromResult(PublishStatus.Full);
        }

        var pending = new PendingBatch(events.Count, this);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            try
            {
                var message = new Message<string, byte[]>
                {
                    Key = RawEventSerializer.PartitionKey(e.Site, e.ClientIp),
                    Value = _serializer.Serialize(e),
                    Headers = _headers,
                    Timestamp = new Timestamp(e.ReceivedAtMs, TimestampType.CreateTime),
                };
                _producer.Produce(_options.RawTopic, message, pending.OnDelivery);
            }
            catch (InvalidOperationException) when (!_disposed)
            {
                // The protector could not seal (its key went away): the rest is not produced, in plain or otherwise.
                pending.Abandon(events.Count - i, PublishStatus.Unavailable);
                break;
            }
            catch (ProduceException<string, byte[]> ex)
            {
                // Local refusal (queue full, message too large): the rest of the batch is not produced; what was
                // already produced may still land (the beacon's retry is then dropped by event id downstream).
                pending.Abandon(events.Count - i, ex.Error.Code == ErrorCode.Local_QueueFull ? PublishStatus.Full : PublishStatus.Unavailable);
                break;
            }
            catch (ObjectDisposedException)
            {
                pending.Abandon(events.Count - i, PublishStatus.Unavailable);
                break;
            }
        }
        return new ValueTask<PublishStatus>(pending.Task.WaitAsync(cancellationToken));
    }

    /// <summary>Waits until every produced message is acknowledged or failed (used on shutdown).</summary>
    public void Flush(TimeSpan timeout) => _producer.Flush(timeout);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            _producer.Flush(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _producer.Dispose();
        }
    }

    private sealed class PendingBatch(int count, KafkaEventTransport owner)
    {
        private readonly TaskCompletionSource<PublishStatus> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int _count = count;
        private int _remaining = count;
        private int _failed;
        private int _status = (int)PublishStatus.Accepted;

        public Task<PublishStatus> Task => _done.Task;

        public void OnDelivery(DeliveryReport<string, byte[]> report)
        {
            Interlocked.Decrement(ref owner._inFlight);
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _status, (int)PublishStatus.Unavailable, (int)PublishStatus.Accepted);
            }
            Complete(1);
        }

        public void Abandon(int notProduced, PublishStatus status)
        {
            Interlocked.Add(ref owner._inFlight, -notProduced);
            Interlocked.CompareExchange(ref _status, (int)status, (int)PublishStatus.Accepted);
            Complete(notProduced);
        }

        private void Complete(int n)
        {
            if (Interlocked.Add(ref _remaining, -n) != 0) return;
            var failed = Volatile.Read(ref _failed);
            var delivered = _count - failed;
            if (delivered > 0) owner._metrics.Delivered(delivered);
            if (failed > 0)
            {
                owner._metrics.ProduceErrors(failed);
                Log.DeliveryFailed(owner._logger, failed, _count);
            }
            _done.TrySetResult((PublishStatus)Volatile.Read(ref _status));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Kafka producer error {Code} (fatal: {Fatal}): {Reason}")]
        public static partial void ProducerError(ILogger logger, ErrorCode code, bool fatal, string reason);

        [LoggerMessage(2, LogLevel.Warning, "{Failed} of {Count} raw events were not acknowledged; the batch is answered Unavailable")]
        public static partial void DeliveryFailed(ILogger logger, int failed, int count);

        [LoggerMessage(4, LogLevel.Warning, "No raw-data key to seal the batch's identifying fields: answered Unavailable, nothing produced")]
        public static partial void NotSealed(ILogger logger);

        [LoggerMessage(3, LogLevel.Debug, "librdkafka {Facility}: {Message}")]
        public static partial void Librdkafka(ILogger logger, string facility, string message);
    }
}
