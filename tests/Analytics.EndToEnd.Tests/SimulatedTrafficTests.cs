extern alias cli;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using cli::Analytics.Cli;
using Analytics.TestUtilities;

namespace Analytics.EndToEnd.Tests;

/// <summary>One simulator run through a fresh host, shared by the tests of <see cref="SimulatedTrafficTests"/>.</summary>
public sealed class SimulatedTrafficRun(ChDbFixture chdb) : IAsyncLifetime
{
    private const int Events = 20_000;

    public PipelineHost Host { get; private set; } = null!;
    public GroundTruth Truth { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // a second site, so the hand-posted probe does not change the simulated site's totals
        Host = new PipelineHost(chdb, settings: new() { ["Sites:1:Id"] = "probe", ["Sites:1:TimeZone"] = "UTC" });
        await Host.StartAsync(TestContext.Current.CancellationToken);
        var options = new SimulatorOptions
        {
            Seed = 20261126,
            TotalEvents = Events,
            BaseUrl = Host.BaseAddress,
            Concurrency = 8,
            Visitors = 800,
            PiiShare = 0.05,
            StartTimestampMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        var simulator = new TrafficSimulator(options);
        var truth = new GroundTruthBuilder(simulator);
        using var client = CollectorHttp.CreateClient(options.Concurrency);
        var runner = new TrafficRunner(client, new RunnerOptions(CollectorHttp.EventsEndpoint(options.BaseUrl), options.Concurrency, 0));
        await runner.RunAsync(simulator.GenerateRequests(), truth, TestContext.Current.CancellationToken);
        Assert.Equal(0, runner.Counters.FailedRequests);
        Assert.True(runner.Counters.EventsAccepted > 0, $"collector accepted nothing: {string.Join("; ", runner.FailureSamples)}");
        Truth = truth.Build();
        await WaitUntilVisibleAsync();
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();

    private string Range => $"site=demo&from={Truth.FirstDay:yyyy-MM-dd}&to={Truth.LastDay:yyyy-MM-dd}&limit=100000";

    public async Task<JsonElement[]> GetAsync(string route)
    {
        using var client = Host.StatsClient();
        return (await client.GetFromJsonAsync<JsonElement[]>($"/v1/stats/{route}?{Range}", TestContext.Current.CancellationToken))!;
    }

    private async Task WaitUntilVisibleAsync()
    {
        // The anonymizer writes in batches of up to 200 ms; poll until every counted event is in the daily totals.
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var days = await GetAsync("timeseries");
            var seen = days.Sum(d => d.GetProperty("page_views").GetInt64() + d.GetProperty("product_views").GetInt64());
            if (seen >= Truth.PageViews + Truth.ProductViews) return;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}

/// <summary>
/// Simulated shop traffic through the whole one-process pipeline: the stats API must equal the simulator's ground
/// truth exactly, and no planted identifier may reach any table.
/// </summary>
public sealed class SimulatedTrafficTests(SimulatedTrafficRun run) : IClassFixture<SimulatedTrafficRun>
{
    private PipelineHost _host => run.Host;
    private GroundTruth _truth => run.Truth;
    private Task<JsonElement[]> GetAsync(string route) => run.GetAsync(route);

    [Fact]
    public async Task Page_and_product_views_equal_the_ground_truth_exactly()
    {
        var days = await GetAsync("timeseries");
        Assert.Equal(_truth.PageViews, days.Sum(d => d.GetProperty("page_views").GetInt64()));
        Assert.Equal(_truth.ProductViews, days.Sum(d => d.GetProperty("product_views").GetInt64()));

        var pages = (await GetAsync("pages")).ToDictionary(p => p.GetProperty("path").GetString()!, p => p);
        Assert.NotEmpty(_truth.Pages);
        foreach (var (path, expected) in _truth.Pages)
        {
            Assert.True(pages.TryGetValue(path, out var row), $"path {path} missing from /v1/stats/pages");
            Assert.Equal(expected.Views, row.GetProperty("views").GetInt64());
            Assert.Equal(expected.Visitors, row.GetProperty("visitors").GetInt32());
        }

        var products = (await GetAsync("products")).ToDictionary(p => p.GetProperty("product_id").GetString()!, p => p);
        Assert.Equal(_truth.Products.Count, products.Count);
        foreach (var (id, expected) in _truth.Products)
        {
            Assert.Equal(expected.Views, products[id].GetProperty("views").GetInt64());
            Assert.Equal(expected.Visitors, products[id].GetProperty("visitors").GetInt32());
            Assert.Equal(expected.Category, products[id].GetProperty("category").GetString());
        }
    }

    [Fact]
    public async Task No_planted_identifier_reaches_any_table()
    {
        var dump = await _host.DumpAllTablesAsync(TestContext.Current.CancellationToken);
        Assert.Contains("/p/", dump, StringComparison.Ordinal); // the dump really holds the stored rows
        Assert.NotEmpty(_truth.Canaries);
        var kinds = _truth.Canaries.Select(c => c.Kind).ToHashSet();
        foreach (var kind in new[] { "email", "phone", "ipv4", "ipv6", "jwt", "client_ip", "user_agent" })
        {
            Assert.Contains(kind, kinds);
        }
        var leaked = _truth.Canaries.Where(c => dump.Contains(c.Value, StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(leaked.Count == 0, "identifiers reached storage: " + string.Join(", ", leaked.Take(5).Select(c => $"{c.Kind} in {c.Where}")));
    }

    [Fact]
    public async Task Bots_and_opted_out_visitors_are_not_counted_but_bots_are_stored_flagged()
    {
        Assert.True(_truth.BotEventsSent > 0 && _truth.OptOutEventsSent > 0);
        await using var store = _host.OpenStore();
        var rows = await store.QueryAsync("SELECT countIf(is_bot) AS bots, count() AS all FROM events WHERE site = 'demo'", new Dictionary<string, string>(), TestContext.Current.CancellationToken);
        var bots = rows[0].GetProperty("bots").GetInt64();
        Assert.True(bots > 0, "bot events are kept, flagged");
        // opted-out (GPC/DNT) events never leave the collector: stored = counted + bots (list/engagement aside)
        var counted = rows[0].GetProperty("all").GetInt64() - bots;
        Assert.Equal(_truth.CountedEvents, counted);
    }

    [Fact]
    public async Task A_hand_posted_page_view_is_visible_in_the_stats_within_two_seconds()
    {
        var path = "/probe-" + Guid.NewGuid().ToString("N")[..8];
        var body = $$"""{"site":"probe","events":[{"type":"page_view","id":"{{Guid.NewGuid()}}","ts":{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}},"url":"https://demo.example{{path}}","referrer":"","title":"probe","screen":"1920x1080","lang":"en"}]}""";
        using var collector = new HttpClient { BaseAddress = _host.BaseAddress };
        // An empty User-Agent is a bot (never counted); send what a browser sends.
        collector.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        var started = TimeProvider.System.GetTimestamp();
        var posted = await collector.PostAsync("/v1/events", new StringContent(body, System.Text.Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, posted.StatusCode);
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using var stats = _host.StatsClient();
        while (TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(2))
        {
            var pages = await stats.GetStringAsync($"/v1/stats/pages?site=probe&from={today}&to={today}", TestContext.Current.CancellationToken);
            if (pages.Contains(path, StringComparison.Ordinal)) return;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Fail("the page view was not visible within 2 s");
    }
}
