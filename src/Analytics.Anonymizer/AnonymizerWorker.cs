using Analytics.Contracts;
using Analytics.Privacy;
using Analytics.Storage;
using Analytics.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace Analytics.Anonymizer;

/// <summary>
/// The anonymizer loop: read a batch from the transport, anonymize it, write it as one deduplicated block, then
/// acknowledge it. A batch is never skipped: a write that fails after the resilience pipeline's retries is tried
/// again (offsets stay uncommitted meanwhile), and a retried write carries the same deduplication token.
/// </summary>
public sealed partial class AnonymizerWorker : BackgroundService
{
    public const string StorageWritePipeline = "storage-write";

    private readonly IEventBatchSource _source;
    private readonly IAnalyticsStore _store;
    private readonly EventAnonymizer _anonymizer;
    private readonly ResiliencePipeline _writePipeline;
    private readonly AnonymizerOptions _options;
    private readonly AnonymizerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<AnonymizerWorker> _logger;
    private readonly RecentEventIds _recent;
    private readonly VisitorKeyStore _keys;
    private readonly ForgottenVisitors _forgotten;
    private readonly SiteRegistry _sites;

    public AnonymizerWorker(
        IEventBatchSource source,
        IAnalyticsStore store,
        EventAnonymizer anonymizer,
        ResiliencePipelineProvider<string> pipelines,
        IOptions<AnonymizerOptions> options,
        AnonymizerMetrics metrics,
        TimeProvider time,
        ILogger<AnonymizerWorker> logger,
        VisitorKeyStore keys,
        ForgottenVisitors forgotten,
        SiteRegistry sites)
    {
        _keys = keys;
        _forgotten = forgotten;
        _sites = sites;
        _source = source;
        _store = store;
        _anonymizer = anonymizer;
        _writePipeline = pipelines.GetPipeline(StorageWritePipeline);
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _recent = new RecentEventIds(time, _options.DuplicateWindow);
    }

    /// <summary>Batches fully written and acknowledged since start.</summary>
    public long BatchesWritten => Interlocked.Read(ref _batches);

    private long _batches;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.Started(_logger, _options.MaxBatchEvents, _options.MaxBatchWait.TotalMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            EventBatch batch;
            try
            {
                batch = await _source.ReadBatchAsync(_options.MaxBatchEvents, _options.MaxBatchWait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            await ProcessAsync(batch, stoppingToken);
        }
        Log.Stopped(_logger, BatchesWritten);
    }

    private async Task ProcessAsync(EventBatch batch, CancellationToken stoppingToken)
    {
        if (!await PreparePrivacyAsync(batch, stoppingToken)) return;
        var rows = new List<AnonymizedEvent>(batch.Events.Count);
        var inBatch = new HashSet<(string, Guid)>();
        var duplicates = 0;
        var forgotten = 0;
        var lateBefore = _anonymizer.LateEvents;
        foreach (var e in batch.Events)
        {
            if (_recent.Contains(e.Site, e.EventId) || !inBatch.Add((e.Site, e.EventId)))
            {
                duplicates++;
                continue;
            }
            var row = _anonymizer.Anonymize(e);
            if (row.VisitorKey != 0 && _forgotten.Contains(row.Site, row.Day, row.VisitorKey))
            {
                // The device asked to be forgotten today: its further events of the day are not kept.
                forgotten++;
                continue;
            }
            rows.Add(row);
        }
        if (_anonymizer.LateEvents - lateBefore is > 0 and var late) _metrics.Late(late);
        if (forgotten > 0) _metrics.Forgotten(forgotten);

        var started = _time.GetTimestamp();
        while (true)
        {
            try
            {
                // Shutdown does not cancel a write in flight: the batch is finished, written and acknowledged first.
                await _writePipeline.ExecuteAsync(
                    static async (state, ct) => await state.Store.InsertEventsAsync(state.Rows, state.Token, ct),
                    (Store: _store, Rows: rows, Token: batch.DeduplicationToken),
                    CancellationToken.None);
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _metrics.WriteFailed();
                Log.WriteFailed(_logger, ex, batch.DeduplicationToken, rows.Count);
                try
                {
                    await Task.Delay(_options.WriteRetryDelay * 4, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    // Stopping with an unwritten batch: leave it unacknowledged so it is replayed (Kafka) and say so.
                    Log.AbandonedOnShutdown(_logger, batch.DeduplicationToken, rows.Count);
                    return;
                }
            }
        }

        foreach (var e in batch.Events) _recent.Add(e.Site, e.EventId);
        try
        {
            await _forgotten.DeleteLateArrivalsAsync(rows, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Key maintenance sweeps what is left within a minute.
            Log.PrivacyStepFailed(_logger, ex);
        }
        await _source.AcknowledgeAsync(batch, CancellationToken.None);
        Interlocked.Increment(ref _batches);
        _metrics.Written(rows.Count, _time.GetElapsedTime(started));
        if (duplicates > 0) _metrics.Duplicates(duplicates);
        Log.BatchWritten(_logger, batch.DeduplicationToken, rows.Count, duplicates);
    }

    /// <summary>
    /// Loads (or creates) the shared visitor keys the batch needs and refreshes the forgotten devices, retrying like a
    /// write. Returns false when stopping first (the batch stays unacknowledged).
    /// </summary>
    private async Task<bool> PreparePrivacyAsync(EventBatch batch, CancellationToken stoppingToken)
    {
        var days = batch.Events.Select(e => (e.Site, SiteDay.For(DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs), _sites.TimeZoneOf(e.Site))));
        while (true)
        {
            try
            {
                await _keys.EnsureAsync(days, CancellationToken.None);
                await _forgotten.RefreshIfDueAsync(CancellationToken.None);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PrivacyStepFailed(_logger, ex);
                try
                {
                    await Task.Delay(_options.WriteRetryDelay * 4, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    Log.AbandonedOnShutdown(_logger, batch.DeduplicationToken, batch.Events.Count);
                    return false;
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(6, LogLevel.Error, "Loading visitor keys or forgotten devices failed; trying again")]
        public static partial void PrivacyStepFailed(ILogger logger, Exception exception);

        [LoggerMessage(1, LogLevel.Information, "Anonymizer started (batch ≤ {MaxEvents} events, ≤ {MaxWaitMs} ms)")]
        public static partial void Started(ILogger logger, int maxEvents, double maxWaitMs);

        [LoggerMessage(2, LogLevel.Information, "Anonymizer stopped after {Batches} batches")]
        public static partial void Stopped(ILogger logger, long batches);

        [LoggerMessage(3, LogLevel.Debug, "Wrote batch {Batch}: {Rows} rows, {Duplicates} duplicates dropped")]
        public static partial void BatchWritten(ILogger logger, string batch, int rows, int duplicates);

        [LoggerMessage(4, LogLevel.Error, "Writing batch {Batch} ({Rows} rows) failed after retries; keeping it and trying again")]
        public static partial void WriteFailed(ILogger logger, Exception exception, string batch, int rows);

        [LoggerMessage(5, LogLevel.Warning, "Stopping with batch {Batch} ({Rows} rows) unwritten; it stays unacknowledged")]
        public static partial void AbandonedOnShutdown(ILogger logger, string batch, int rows);
    }
}
