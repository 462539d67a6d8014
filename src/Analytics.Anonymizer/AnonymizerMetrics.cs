using System.Diagnostics.Metrics;

namespace Analytics.Anonymizer;

/// <summary>The anonymizer's meter.</summary>
public sealed class AnonymizerMetrics
{
    public const string MeterName = "Analytics.Anonymizer";

    private readonly Counter<long> _written;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _writeFailures;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _writeLatency;

    public AnonymizerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _written = meter.CreateCounter<long>("analytics.anonymizer.events.written", "{event}", "Anonymized events written to the store");
        _duplicates = meter.CreateCounter<long>("analytics.anonymizer.events.duplicate", "{event}", "Beacon retries of an event already stored, dropped");
        _writeFailures = meter.CreateCounter<long>("analytics.anonymizer.write.failures", "{batch}", "Batch writes that failed after all retries (the batch is kept and retried)");
        _batchSize = meter.CreateHistogram<int>("analytics.anonymizer.batch.size", "{event}", "Events per written batch");
        _writeLatency = meter.CreateHistogram<double>("analytics.anonymizer.write.duration", "s", "Storage write latency per batch");
    }

    public void Written(int events, TimeSpan latency)
    {
        _written.Add(events);
        _batchSize.Record(events);
        _writeLatency.Record(latency.TotalSeconds);
    }

    public void Duplicates(int n) => _duplicates.Add(n);
    public void WriteFailed() => _writeFailures.Add(1);
}
