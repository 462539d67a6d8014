extern alias cli;
using System.Globalization;
using System.Text.Json;
using Analytics.Contracts;
using Analytics.Storage;
using Analytics.TestUtilities;
using cli::Analytics.Cli.Evaluation;

namespace Analytics.Recommendations.Tests;

/// <summary>The job and the reports against an independent computation in plain C# over the same simulated events.</summary>
public sealed class StoreTests(ChDbFixture chdb)
{
    private const int K = 5;
    private static readonly RecommendationSettings Settings = new(MinVisitors: K);

    private static (PlantedShop Shop, List<AnonymizedEvent> Events) Simulate(int seed, int visitorsPerDay = 400, int days = 2)
    {
        var shop = new PlantedShop(new PlantedShopOptions { Seed = seed, Products = 60, VisitorsPerDay = visitorsPerDay, Days = days, BotShare = 0.05 });
        return (shop, shop.Sessions().SelectMany(shop.Events).ToList());
    }

    private static async Task InsertAsync(IAnalyticsStore store, List<AnonymizedEvent> events, CancellationToken ct)
    {
        var n = 0;
        // Small blocks, so one visitor's sessions are spread over blocks (what a materialized view could not join).
        foreach (var chunk in events.Chunk(3_000)) await store.InsertEventsAsync(chunk, "t-" + n++.ToString(CultureInfo.InvariantCulture), ct);
    }

    private static Dictionary<string, string> Window(string site, int minVisitors) => new()
    {
        ["site"] = site,
        ["from"] = AnonymizedEvents.Today.AddDays(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = AnonymizedEvents.Today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["min_visitors"] = minVisitors.ToString(CultureInfo.InvariantCulture),
        ["min_support"] = "1",
        ["limit"] = "100000",
    };

    [Fact]
    public async Task Coview_counts_match_an_independent_computation_with_suppression()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("coviews", ct);
        var (_, events) = Simulate(seed: 11);
        await InsertAsync(store, events, ct);
        var job = new RecommendationJob(store, Settings, TimeProvider.System);
        Assert.Equal(2, await job.RefreshSessionAggregatesAsync("demo", ct));

        var expected = ExpectedPairs(events).Where(kv => kv.Value.Visitors >= K)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var actual = (await store.QueryAsync(StoreQueries.Get("reco_coview_pairs"), Window("demo", K), ct))
            .Where(r => r.GetProperty("product_b").GetString()!.Length > 0)
            .ToDictionary(r => (r.GetProperty("product_a").GetString()!, r.GetProperty("product_b").GetString()!),
                r => (r.GetProperty("co").GetInt64(), r.GetProperty("visitors").GetInt64()));
        Assert.True(expected.Count > 50, $"only {expected.Count} pairs reach k");
        Assert.Equal(expected.OrderBy(kv => kv.Key).ToList(), actual.OrderBy(kv => kv.Key).ToList());

        // A second refresh of the (still open) days replaces them as a whole: nothing counts twice.
        Assert.Equal(2, await job.RefreshSessionAggregatesAsync("demo", ct));
        var again = (await store.QueryAsync(StoreQueries.Get("reco_coview_pairs"), Window("demo", K), ct))
            .Count(r => r.GetProperty("product_b").GetString()!.Length > 0);
        Assert.Equal(expected.Count, again);
    }

    // Plain C#: sessions = a visitor-day's product views cut at gaps over 30 minutes; each session counts a pair once.
    private static Dictionary<(string, string), (long Sessions, long Visitors)> ExpectedPairs(List<AnonymizedEvent> events)
    {
        var perDay = new Dictionary<(DateOnly, string, string), (long Sessions, HashSet<ulong> Visitors)>();
        foreach (var visitorDay in events.Where(e => e.Type == EventTypes.ProductView && !e.IsBot && e.VisitorKey != 0)
                     .GroupBy(e => (e.Day, e.VisitorKey)))
        {
            var views = visitorDay.OrderBy(e => e.Timestamp).ToList();
            var session = new List<string>();
            for (var i = 0; i <= views.Count; i++)
            {
                if (i == views.Count || (i > 0 && views[i].Timestamp - views[i - 1].Timestamp > TimeSpan.FromMinutes(30)))
                {
                    var products = session.Distinct(StringComparer.Ordinal).Take(50).ToList();
                    foreach (var a in products)
                    {
                        foreach (var b in products.Where(b => string.CompareOrdinal(a, b) < 0))
                        {
                            var key = (visitorDay.Key.Day, a, b);
                            if (!perDay.TryGetValue(key, out var v)) perDay[key] = v = (0, []);
                            v.Visitors.Add(visitorDay.Key.VisitorKey);
                            perDay[key] = (v.Sessions + 1, v.Visitors);
                        }
                    }

                    session.Clear();
                }

                if (i < views.Count) session.Add(views[i].ProductId);
            }
        }

        return perDay.GroupBy(kv => (kv.Key.Item2, kv.Key.Item3))
            .ToDictionary(g => g.Key, g => (g.Sum(x => x.Value.Sessions), (long)g.Sum(x => x.Value.Visitors.Count)));
    }

    [Fact]
    public async Task Layout_ctr_matches_an_independent_computation_with_wilson_intervals()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("ctr", ct);
        var (_, events) = Simulate(seed: 12, visitorsPerDay: 300);
        await InsertAsync(store, events, ct);

        var expected = events.Where(e => e.Type is EventTypes.ListImpression or EventTypes.ListClick && !e.IsBot)
            .GroupBy(e => (e.ListName, (int)e.ListPosition))
            .Select(g => (g.Key, Impressions: g.LongCount(e => e.Type == EventTypes.ListImpression), Clicks: g.LongCount(e => e.Type == EventTypes.ListClick),
                Visitors: g.Select(e => e.VisitorKey).Distinct().LongCount()))
            .Where(x => x.Visitors >= K)
            .OrderBy(x => x.Key)
            .ToList();
        var rows = await store.QueryAsync(StoreQueries.Get("layout_ctr"), Window("demo", K), ct);
        var actual = rows.Select(LayoutReport.Position).ToList();
        Assert.InRange(expected.Count, 5, PlantedShop.GridSlots);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i];
            var a = actual[i];
            Assert.Equal(e.Key.ListName, a["list_name"]);
            Assert.Equal(e.Key.Item2, a["list_position"]);
            Assert.Equal(e.Impressions, a["impressions"]);
            Assert.Equal(e.Clicks, a["clicks"]);
            Assert.Equal(e.Visitors, a["visitors"]);
            var (low, high) = Wilson.Interval(e.Clicks, e.Impressions);
            Assert.Equal(Math.Round(low, 4), a["ctr_low"]);
            Assert.Equal(Math.Round(high, 4), a["ctr_high"]);
            Assert.InRange((double)a["ctr"], (double)a["ctr_low"], (double)a["ctr_high"]);
        }

        // The planted click-through falls with the position.
        Assert.True((double)actual[0]["ctr"] > (double)actual[^1]["ctr"]);
    }

    [Fact]
    public async Task Job_beats_popularity_at_least_twofold_on_planted_structure()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("planted", ct);
        var result = await OfflineEvaluation.RunPlantedAsync(store, new PlantedShopOptions { Seed = 7, VisitorsPerDay = 1_000, Days = 3 },
            Settings, TimeProvider.System, ct);
        Assert.True(result.TestSessions > 300);
        Assert.True(result.Job.HitRate >= 2 * result.Popularity.HitRate,
            $"job HR@10 {result.Job.HitRate:0.000} vs popularity {result.Popularity.HitRate:0.000}");
    }

    [Fact]
    public async Task Readers_never_see_a_half_written_version()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("atomic", ct);
        var (shop, events) = Simulate(seed: 13, visitorsPerDay: 300, days: 1);
        await InsertAsync(store, events, ct);
        // Small chunks: a run writes its rows in many statements, so a reader has many chances to land in between.
        var job = new RecommendationJob(store, Settings with { ListLength = 20 }, TimeProvider.System);
        await job.RunAsync("demo", ct);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var product = shop.ProductIds[0];
        long reads = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var current = await store.QueryAsync(StoreQueries.Get("reco_current"), new Dictionary<string, string> { ["site"] = "demo" }, CancellationToken.None);
                var version = current[0].GetProperty("version").GetUInt64();
                var stored = await store.QueryAsync(StoreQueries.Get("reco_version_rows"), new Dictionary<string, string>
                {
                    ["site"] = "demo", ["version"] = version.ToString(CultureInfo.InvariantCulture),
                }, CancellationToken.None);
                Assert.Equal(current[0].GetProperty("rows").GetInt64(), stored[0].GetProperty("rows").GetInt64());
                var served = await store.QueryAsync(StoreQueries.Get("reco_serve"), new Dictionary<string, string>
                {
                    ["site"] = "demo", ["product_id"] = product, ["k"] = "20",
                }, CancellationToken.None);
                var own = served.Where(r => r.GetProperty("product_id").GetString() == product).ToList();
                Assert.Equal(20, own.Count);
                Assert.Single(served.Select(r => r.GetProperty("version").GetUInt64()).Distinct());
                Assert.DoesNotContain(served, r => r.GetProperty("recommended_id").GetString() == product);
                Interlocked.Increment(ref reads);
            }
        })).ToList();

        for (var run = 0; run < 4; run++) await job.RunAsync("demo", ct);
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(reads > 4, $"only {reads} reads overlapped the runs");
    }

    [Fact]
    public async Task Serving_and_export_read_only_the_current_version_when_older_ones_are_stored()
    {
        // Regression: `SELECT current AS version … WHERE version = current` let the alias shadow the column, so every
        // stored version (the previous complete one is kept) was served, interleaved by rank.
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("versions", ct);
        var (shop, events) = Simulate(seed: 15, visitorsPerDay: 300, days: 1);
        await InsertAsync(store, events, ct);
        await new RecommendationJob(store, Settings with { ListLength = 10 }, TimeProvider.System).RunAsync("demo", ct);
        await new RecommendationJob(store, Settings with { ListLength = 10, MinVisitors = 1, SequenceWeight = 0.9 }, TimeProvider.System).RunAsync("demo", ct);
        var current = (await store.QueryAsync(StoreQueries.Get("reco_current"), new Dictionary<string, string> { ["site"] = "demo" }, ct))[0]
            .GetProperty("version").GetUInt64();

        var exported = await store.QueryAsync(StoreQueries.Get("reco_export"), new Dictionary<string, string> { ["site"] = "demo" }, ct);
        Assert.All(exported, r => Assert.Equal(current, r.GetProperty("version").GetUInt64()));
        Assert.All(exported.GroupBy(r => r.GetProperty("product_id").GetString()), g =>
            Assert.Equal(Enumerable.Range(1, g.Count()), g.Select(r => (int)r.GetProperty("rank").GetUInt32())));

        var served = await store.QueryAsync(StoreQueries.Get("reco_serve"), new Dictionary<string, string>
        {
            ["site"] = "demo", ["product_id"] = shop.ProductIds[0], ["k"] = "10",
        }, ct);
        Assert.All(served, r => Assert.Equal(current, r.GetProperty("version").GetUInt64()));
        var own = served.Where(r => r.GetProperty("product_id").GetString() == shop.ProductIds[0]).Select(r => r.GetProperty("recommended_id").GetString()).ToList();
        Assert.Equal(own.Distinct().Count(), own.Count);
    }

    [Fact]
    public async Task Entry_and_exit_pages_count_sessions_not_visitor_days()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("entries", ct);
        var (shop, events) = Simulate(seed: 14, visitorsPerDay: 300, days: 1);
        await InsertAsync(store, events, ct);
        await new RecommendationJob(store, Settings, TimeProvider.System).RefreshSessionAggregatesAsync("demo", ct);
        var rows = await store.QueryAsync(StoreQueries.Get("layout_entry_exit"), Window("demo", 1), ct);
        var entries = rows.Where(r => r.GetProperty("kind").GetString() == "entry").Sum(r => r.GetProperty("sessions").GetInt64());
        var visitorDays = events.Where(e => e.Type == EventTypes.PageView && !e.IsBot).Select(e => (e.Day, e.VisitorKey)).Distinct().Count();
        Assert.True(entries > visitorDays, $"{entries} sessions vs {visitorDays} visitor-days: the 30-minute split did not happen");
        Assert.Equal(shop.Sessions().Count(s => !s.IsBot), entries);
        Assert.Equal(entries, rows.Where(r => r.GetProperty("kind").GetString() == "exit").Sum(r => r.GetProperty("sessions").GetInt64()));
    }
}
