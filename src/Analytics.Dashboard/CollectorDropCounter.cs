using System.Diagnostics.Metrics;

namespace Analytics.Dashboard;

/// <summary>
/// Counts, in this process, what the collector accepted and what it did not keep: consent drops (GPC/DNT), events
/// rejected by validation, whole batches refused, and batches answered 503 for back-pressure. It listens to the
/// collector's Meter by name (the dashboard never references the collector) and only to the meters of this host's
/// <see cref="IMeterFactory"/>. In a split deployment the collector runs elsewhere and these stay zero with
/// <c>collector_in_process = false</c>; read the collector's <c>/metrics</c> there instead.
/// </summary>
internal sealed class CollectorDropCounter : IDisposable
{
    private const string CollectorMeter = "Analytics.Collector";

    private readonly MeterListener _listener = new();
    private long _accepted;
    private long _consentDropped;
    private long _rejected;
    private long _refusedBatches;
    private long _backpressureBatches;
    private int _instruments;

    public CollectorDropCounter(IMeterFactory meters, TimeProvider time)
    {
        Since = time.GetUtcNow();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name != CollectorMeter || !ReferenceEquals(instrument.Meter.Scope, meters)) return;
            if (Field(instrument.Name) is null) return;
            Interlocked.Increment(ref _instruments);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (Field(instrument.Name))
            {
                case "accepted": Interlocked.Add(ref _accepted, value); break;
                case "consent_dropped": Interlocked.Add(ref _consentDropped, value); break;
                case "rejected": Interlocked.Add(ref _rejected, value); break;
                case "refused_batches": Interlocked.Add(ref _refusedBatches, value); break;
                case "backpressure_batches": Interlocked.Add(ref _backpressureBatches, value); break;
            }
        });
        _listener.Start();
    }

    /// <summary>When counting started (this process's start, near enough).</summary>
    public DateTimeOffset Since { get; }

    public IReadOnlyDictionary<string, object> Snapshot() => new Dictionary<string, object>
    {
        ["since"] = Since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["collector_in_process"] = Volatile.Read(ref _instruments) > 0,
        ["accepted"] = Interlocked.Read(ref _accepted),
        ["consent_dropped"] = Interlocked.Read(ref _consentDropped),
        ["rejected"] = Interlocked.Read(ref _rejected),
        ["refused_batches"] = Interlocked.Read(ref _refusedBatches),
        ["backpressure_batches"] = Interlocked.Read(ref _backpressureBatches),
    };

    public void Dispose() => _listener.Dispose();

    private static string? Field(string instrument) => instrument switch
    {
        "analytics.collector.events.accepted" => "accepted",
        "analytics.collector.events.consent_dropped" => "consent_dropped",
        "analytics.collector.events.rejected" => "rejected",
        "analytics.collector.batches.refused" => "refused_batches",
        "analytics.collector.batches.backpressure" => "backpressure_batches",
        _ => null,
    };
}
