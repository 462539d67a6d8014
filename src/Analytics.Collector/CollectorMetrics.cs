using System.Diagnostics.Metrics;

namespace Analytics.Collector;

/// <summary>The collector's meter: what came in, what was refused and why.</summary>
public sealed class CollectorMetrics
{
    public const string MeterName = "Analytics.Collector";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _refusedBatches;
    private readonly Counter<long> _consentDropped;
    private readonly Counter<long> _clamped;
    private readonly Counter<long> _backpressure;

    public CollectorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("analytics.collector.events.accepted", "{event}", "Events handed to the transport");
        _rejected = meter.CreateCounter<long>("analytics.collector.events.rejected", "{event}", "Events refused, by reason");
        _refusedBatches = meter.CreateCounter<long>("analytics.collector.batches.refused", "{batch}", "Whole batches refused, by reason");
        _consentDropped = meter.CreateCounter<long>("analytics.collector.events.consent_dropped", "{event}", "Events dropped for GPC/DNT");
        _clamped = meter.CreateCounter<long>("analytics.collector.events.clamped", "{event}", "Client timestamps clamped to receive time");
        _backpressure = meter.CreateCounter<long>("analytics.collector.batches.backpressure", "{batch}", "Batches answered 503 because the transport was full or down");
    }

    public void Accepted(int n) => _accepted.Add(n);
    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
    public void BatchRefused(string reason) => _refusedBatches.Add(1, new KeyValuePair<string, object?>("reason", reason));
    public void ConsentDropped(int n, string signal) => _consentDropped.Add(n, new KeyValuePair<string, object?>("signal", signal));
    public void Clamped(int n) => _clamped.Add(n);
    public void Backpressure(string status) => _backpressure.Add(1, new KeyValuePair<string, object?>("status", status));
}
