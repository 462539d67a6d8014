using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Analytics.Transport.KafkaTransport;

/// <summary>Meter <c>Analytics.Transport</c>: producer deliveries and errors, consumer lag, dead letters.</summary>
public sealed class KafkaTransportMetrics
{
    public const string MeterName = "Analytics.Transport";

    private readonly Counter<long> _delivered;
    private readonly Counter<long> _produceErrors;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _commitFailures;
    private readonly Counter<long> _replayedCuts;
    private readonly Counter<long> _rawKeys;
    private readonly Counter<long> _unsealed;
    private readonly ConcurrentDictionary<int, long> _lag = new();

    public KafkaTransportMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _delivered = meter.CreateCounter<long>("analytics.transport.produce.delivered", "{event}", "Raw events acknowledged by the brokers");
        _produceErrors = meter.CreateCounter<long>("analytics.transport.produce.errors", "{event}", "Raw events whose delivery failed (the batch was answered Unavailable)");
        _refused = meter.CreateCounter<long>("analytics.transport.produce.refused", "{batch}", "Batches refused because too many messages were in flight (answered Full)");
        _deadLettered = meter.CreateCounter<long>("analytics.transport.dead_lettered", "{message}", "Poison messages sent to the dead-letter topic, by reason");
        _commitFailures = meter.CreateCounter<long>("analytics.transport.commit.failures", "{attempt}", "Offset commits that failed (retried, or the batch is replayed)");
        _replayedCuts = meter.CreateCounter<long>("analytics.transport.cuts.replayed", "{batch}", "Batches re-cut from the journal after a restart or rebalance");
        _rawKeys = meter.CreateCounter<long>("analytics.transport.rawkeys", "{key}", "Daily raw-data keys created or destroyed by this instance, by action");
        _unsealed = meter.CreateCounter<long>("analytics.transport.produce.unsealed", "{batch}", "Batches refused because no raw-data key could be obtained (answered Unavailable, nothing produced)");
        meter.CreateObservableGauge("analytics.transport.consumer.lag", ObserveLag, "{message}", "Messages in the raw topic not yet committed by this consumer, per partition");
    }

    /// <summary>Sum of the last observed lag over the partitions this process owns.</summary>
    public long ConsumerLag => _lag.Values.Sum();

    internal void Delivered(int n) => _delivered.Add(n);
    internal void ProduceErrors(int n) => _produceErrors.Add(n);
    internal void Refused() => _refused.Add(1);
    internal void DeadLettered(RawReadResult reason) => _deadLettered.Add(1, new KeyValuePair<string, object?>("reason", DeadLetter.ReasonText(reason)));
    internal void RawKeyCreated() => _rawKeys.Add(1, new KeyValuePair<string, object?>("action", "created"));
    internal void RawKeyDestroyed() => _rawKeys.Add(1, new KeyValuePair<string, object?>("action", "destroyed"));
    internal void Unsealed() => _unsealed.Add(1);
    internal void CommitFailed() => _commitFailures.Add(1);
    internal void ReplayedCut() => _replayedCuts.Add(1);
    internal void SetLag(int partition, long lag) => _lag[partition] = Math.Max(0, lag);
    internal void ForgetLag(int partition) => _lag.TryRemove(partition, out _);

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _lag.Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("partition", kv.Key)));
}
