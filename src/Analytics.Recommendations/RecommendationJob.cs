using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Analytics.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Analytics.Recommendations;

/// <summary>What one run did for one site.</summary>
public sealed record RecommendationRun(string Site, ulong Version, int Products, int Rows, int DaysRefreshed, int Pairs, TimeSpan Duration);

/// <summary>
/// The recommendation job: (1) recomputes the session aggregates (co-view pairs, entry/exit pages) of every open day
/// from events, (2) reads suppressed co-view counts and trending over the window, (3) scores item-to-item lists
/// (<see cref="ItemToItemScorer"/>), (4) writes them under a new version and only then marks it complete. Readers take
/// the newest complete version, so a run is atomic for them. Runs of one job instance never overlap.
/// </summary>
public sealed partial class RecommendationJob(IAnalyticsStore store, RecommendationSettings settings, TimeProvider time, ILogger<RecommendationJob>? logger = null)
{
    /// <summary>Rows per insert statement (bound as one JSON parameter).</summary>
    internal const int ChunkRows = 20_000;

    private static readonly Meter Meter = new("Analytics.Recommendations");
    private static readonly Histogram<double> RunSeconds = Meter.CreateHistogram<double>("analytics.recommendations.run.duration", "s", "Duration of a recommendation run per site");
    private static readonly Counter<long> RowsWritten = Meter.CreateCounter<long>("analytics.recommendations.rows", "{row}", "Recommendation rows written");

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger = logger ?? NullLogger<RecommendationJob>.Instance;

    public RecommendationSettings Settings => settings;

    /// <summary>Runs for <paramref name="site"/>, or for every site with events in the window when null.</summary>
    public async Task<IReadOnlyList<RecommendationRun>> RunAsync(string? site, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var (from, to) = Window();
            IReadOnlyList<string> sites = site is not null
                ? [site]
                : (await store.QueryAsync(StoreQueries.Get("reco_sites"), new Dictionary<string, string> { ["since"] = Date(from) }, cancellationToken))
                    .Select(r => r.GetProperty("site").GetString()!).ToList();
            var runs = new List<RecommendationRun>(sites.Count);
            foreach (var s in sites) runs.Add(await RunSiteAsync(s, from, to, cancellationToken));
            return runs;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Only step (1): recomputes the session aggregates of the open days of <paramref name="site"/>.</summary>
    public async Task<int> RefreshSessionAggregatesAsync(string site, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        // Events live 30 days; a day older than that has nothing left to recompute from.
        var open = await store.QueryAsync(StoreQueries.Get("reco_open_days"), new Dictionary<string, string>
        {
            ["site"] = site,
            ["since"] = Date(today.AddDays(-31)),
        }, cancellationToken);
        foreach (var row in open)
        {
            var day = row.GetProperty("day").GetString()!;
            var hadEarlier = row.GetProperty("last_ms").GetInt64() > 0;
            var computedAt = DateTime64(time.GetUtcNow());
            var p = new Dictionary<string, string>
            {
                ["site"] = site,
                ["day"] = day,
                ["computed_at"] = computedAt,
                ["gap_ms"] = ((long)settings.Gap.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                ["max_items"] = settings.MaxItemsPerSession.ToString(CultureInfo.InvariantCulture),
                ["steps"] = settings.SequenceSteps.ToString(CultureInfo.InvariantCulture),
            };
            await store.ExecuteAsync(StoreQueries.Get("reco_refresh_coviews"), p, cancellationToken);
            await store.ExecuteAsync(StoreQueries.Get("reco_refresh_entry_exit"), p, cancellationToken);
            // Publishing the day comes last: until this row exists readers use the previous recomputation.
            await store.ExecuteAsync(StoreQueries.Get("reco_mark_day"), p, cancellationToken);
            if (hadEarlier)
            {
                await store.ExecuteAsync(StoreQueries.Get("reco_prune_day"), p, cancellationToken);
                await store.ExecuteAsync(StoreQueries.Get("reco_prune_day_pages"), p, cancellationToken);
            }
        }

        return open.Count;
    }

    private async Task<RecommendationRun> RunSiteAsync(string site, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var days = await RefreshSessionAggregatesAsync(site, cancellationToken);
        var window = new Dictionary<string, string>
        {
            ["site"] = site,
            ["from"] = Date(from),
            ["to"] = Date(to),
            ["min_visitors"] = settings.MinVisitors.ToString(CultureInfo.InvariantCulture),
            ["min_support"] = settings.MinSupport.ToString(CultureInfo.InvariantCulture),
            ["half_life_days"] = settings.HalfLifeDays.ToString("R", CultureInfo.InvariantCulture),
            ["limit"] = "1000000",
        };
        var counts = (await store.QueryAsync(StoreQueries.Get("reco_coview_pairs"), window, cancellationToken))
            .Select(r => new CoviewCount(r.GetProperty("product_a").GetString()!, r.GetProperty("product_b").GetString()!,
                r.GetProperty("co").GetInt64(), r.GetProperty("visitors").GetInt64(),
                r.GetProperty("seq_ab").GetDouble(), r.GetProperty("seq_ba").GetDouble()))
            .ToList();
        var trending = (await store.QueryAsync(StoreQueries.Get("reco_trending"), window, cancellationToken))
            .Select(r => new TrendingProduct(r.GetProperty("product_id").GetString()!, r.GetProperty("category").GetString() ?? "", r.GetProperty("score").GetDouble()))
            .ToList();
        var rows = ItemToItemScorer.Score(counts, trending, settings);
        var products = rows.Where(r => r.ProductId.Length > 0).Select(r => r.ProductId).Distinct(StringComparer.Ordinal).Count();

        var version = await NextVersionAsync(site, cancellationToken);
        await WriteVersionAsync(site, version, "running", 0, 0, cancellationToken);
        try
        {
            for (var offset = 0; offset < rows.Count; offset += ChunkRows)
            {
                await store.ExecuteAsync(StoreQueries.Get("reco_write_items"), new Dictionary<string, string>
                {
                    ["site"] = site,
                    ["version"] = version.ToString(CultureInfo.InvariantCulture),
                    ["rows"] = ChunkJson(rows, offset, Math.Min(ChunkRows, rows.Count - offset)),
                }, cancellationToken);
            }

            // The flip: from here on readers use this version.
            await WriteVersionAsync(site, version, "complete", products, rows.Count, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RunFailed(_logger, site, version, ex);
            await WriteVersionAsync(site, version, "failed", 0, 0, CancellationToken.None);
            throw;
        }

        await PruneAsync(site, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        RunSeconds.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("site", site));
        RowsWritten.Add(rows.Count);
        var pairs = counts.Count(c => c.ProductB.Length > 0);
        Log.RunCompleted(_logger, site, version, products, rows.Count, days, pairs, elapsed.TotalSeconds);
        return new RecommendationRun(site, version, products, rows.Count, days, pairs, elapsed);
    }

    private (DateOnly From, DateOnly To) Window()
    {
        // The site's day may run ahead of UTC: ending the window tomorrow (UTC) includes it; decay ages shift uniformly.
        var to = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(1);
        return (to.AddDays(-settings.WindowDays), to);
    }

    private async Task<ulong> NextVersionAsync(string site, CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync(StoreQueries.Get("reco_last_version"), new Dictionary<string, string> { ["site"] = site }, cancellationToken);
        var last = rows.Count == 0 ? 0UL : rows[0].GetProperty("version").GetUInt64();
        var now = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds();
        return Math.Max(now, last + 1);
    }

    private Task WriteVersionAsync(string site, ulong version, string status, int products, int rows, CancellationToken cancellationToken) =>
        store.ExecuteAsync(StoreQueries.Get("reco_write_version"), new Dictionary<string, string>
        {
            ["site"] = site,
            ["version"] = version.ToString(CultureInfo.InvariantCulture),
            ["status"] = status,
            ["created_at"] = DateTime64(time.GetUtcNow()),
            ["products"] = products.ToString(CultureInfo.InvariantCulture),
            ["rows"] = rows.ToString(CultureInfo.InvariantCulture),
            ["settings"] = settings.Describe(),
        }, cancellationToken);

    private async Task PruneAsync(string site, CancellationToken cancellationToken)
    {
        var complete = await store.QueryAsync(StoreQueries.Get("reco_versions_complete"),
            new Dictionary<string, string> { ["site"] = site, ["limit"] = "2" }, cancellationToken);
        if (complete.Count < 2) return;
        var keepFrom = complete[1].GetProperty("version").GetUInt64();
        await store.ExecuteAsync(StoreQueries.Get("reco_prune_versions"), new Dictionary<string, string>
        {
            ["site"] = site,
            ["keep_from"] = keepFrom.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken);
    }

    internal static string ChunkJson(List<Recommendation> rows, int offset, int count)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = offset; i < offset + count; i++)
            {
                var r = rows[i];
                writer.WriteStartArray();
                writer.WriteStringValue(r.ProductId);
                writer.WriteNumberValue(r.Rank);
                writer.WriteStringValue(r.RecommendedId);
                writer.WriteNumberValue(double.IsFinite(r.Score) ? r.Score : 0);
                writer.WriteStringValue(r.Source);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string DateTime64(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Recommendations for site {Site}: version {Version} complete, {Products} products, {Rows} rows, {Days} days refreshed, {Pairs} pairs, {Seconds:0.0} s")]
        public static partial void RunCompleted(ILogger logger, string site, ulong version, int products, int rows, int days, int pairs, double seconds);

        [LoggerMessage(2, LogLevel.Error, "Recommendation run for site {Site}, version {Version} failed; readers keep the previous version")]
        public static partial void RunFailed(ILogger logger, string site, ulong version, Exception exception);
    }
}
