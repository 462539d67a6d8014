using System.Diagnostics.Metrics;

namespace Analytics.Storage;

/// <summary>The storage component's meter, <c>Analytics.Storage</c>.</summary>
public static class StorageMetrics
{
    /// <summary>Meter name to add to OpenTelemetry.</summary>
    public const string MeterName = "Analytics.Storage";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> RowsInserted = Meter.CreateCounter<long>("analytics.storage.rows_inserted", "{row}", "Event rows sent to the store (retried blocks included).");
    private static readonly Histogram<double> InsertDuration = Meter.CreateHistogram<double>("analytics.storage.insert.duration", "s", "Time to insert one block.");
    private static readonly Histogram<double> QueryDuration = Meter.CreateHistogram<double>("analytics.storage.query.duration", "s", "Time to run one read query.");

    internal static void RecordInsert(int rows, TimeSpan elapsed, string backend)
    {
        var tag = new KeyValuePair<string, object?>("backend", backend);
        RowsInserted.Add(rows, tag);
        InsertDuration.Record(elapsed.TotalSeconds, tag);
    }

    internal static void RecordQuery(TimeSpan elapsed, string backend) =>
        QueryDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("backend", backend));
}
