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
    private readonly Counter<long> _late;
    private readonly Counter<long> _forgotten;

    public AnonymizerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _written = meter.CreateCounter<long>("analytics.anonymizer.events.written", "{event}", "Anonymized events written to the store");
        _duplicates = meter.CreateCounter<long>("analytics.anonymizer.events.duplicate", "{event}", "Beacon retries of an event already stored, dropped");
        _writeFailures = meter.CreateCounter<long>("analytics.anonymizer.write.failures", "{batch}", "Batch writes that failed after all retries (the batch is kept and retried)");
        _batchSize = meter.CreateHistogram<int>("analytics.anonymizer.batch.size", "{event}", "Events per written batch");
        _writeLatency = meter.CreateHistogram<double>("analytics.anonymizer.write.duration", "s", "Storage write latency per batch");
        _late = meter.CreateCounter<long>("analytics.anonymizer.events.late", "{event}", "Events whose day has no visitor key any more, stored with visitor_key 0");
        _forgotten = meter.CreateCounter<long>("analytics.anonymizer.events.forgotten", "{event}", "Events of devices that asked to be forgotten that day, dropped");
    }

    public void Written(int events, TimeSpan latency)
    {
        _written.Add(events);
        _batchSize.Record(events);
        _writeLatency.Record(latency.TotalSeconds);
    }

    public void Duplicates(int n) => _duplicates.Add(n);
    public void WriteFailed() => _writeFailures.Add(1);
    public void Late(long n) => _late.Add(n);
    public void Forgotten(int n) => _forgotten.Add(n);
}
