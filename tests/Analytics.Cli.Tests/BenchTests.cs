using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Analytics.Cli.Bench;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Cli.Tests;

/// <summary>A whole pipeline in miniature: accepts batches, keeps page views (dedup by id) and serves the stats with k = 5.</summary>
internal sealed class FakePipeline : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<Guid, (string Type, string Path, string Visitor)> _events = new();

    private FakePipeline(WebApplication app) => _app = app;

    public Uri Origin { get; private set; } = null!;

    public static async Task<FakePipeline> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var fake = new FakePipeline(app);
        app.MapPost("/v1/events", fake.CollectAsync);
        app.MapGet("/v1/stats/pages", fake.PagesAsync);
        app.MapGet("/v1/stats/timeseries", fake.TimeseriesAsync);
        await app.StartAsync();
        fake.Origin = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return fake;
    }

    private async Task CollectAsync(HttpContext context)
    {
        using var doc = await JsonDocument.ParseAsync(context.Request.Body);
        var visitor = context.Request.Headers["X-Forwarded-For"] + "|" + context.Request.Headers.UserAgent;
        var events = doc.RootElement.GetProperty("events");
        foreach (var e in events.EnumerateArray())
        {
            _events.TryAdd(e.GetProperty("id").GetGuid(), (e.GetProperty("type").GetString()!, new Uri(e.GetProperty("url").GetString()!).AbsolutePath, visitor));
        }
        context.Response.StatusCode = 202;
        await context.Response.WriteAsJsonAsync(new { accepted = events.GetArrayLength(), rejected = Array.Empty<object>() });
    }

    private Task PagesAsync(HttpContext context) => context.Response.WriteAsJsonAsync(
        _events.Values.Where(e => e.Type == "page_view").GroupBy(e => e.Path)
            .Select(g => new { path = g.Key, views = g.Count(), visitors = g.Select(e => e.Visitor).Distinct().Count() })
            .Where(r => r.visitors >= 5).ToList());

    private Task TimeseriesAsync(HttpContext context) => context.Response.WriteAsJsonAsync(new[]
    {
        new
        {
            day = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            page_views = _events.Values.Count(e => e.Type == "page_view"),
            product_views = _events.Values.Count(e => e.Type == "product_view"),
            visitors = _events.Values.Select(e => e.Visitor).Distinct().Count(),
        },
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed class BenchTests
{
    [Fact]
    public async Task Load_driver_counts_answers_of_the_bare_endpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var bare = await BareEndpoint.StartAsync(ct);
        var templates = RequestTemplates.Create(100, 10, 1, "demo", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(100, templates.Count);
        var result = await LoadDriver.RunAsync("bare", bare.Endpoint, templates, 4, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), ct);
        Assert.True(result.Requests > 10, $"{result.Requests} requests");
        Assert.Equal(result.Requests * 10, result.Events);
        Assert.Equal(0, result.Errors);
    }

    [Fact]
    public void Templates_get_fresh_ids_on_every_send()
    {
        var templates = RequestTemplates.Create(10, 5, 1, "demo", 1_764_150_000_000);
        var (a, lengthA, _) = templates.Rent(0);
        var (b, lengthB, _) = templates.Rent(10);
        var idsA = Ids(a.AsSpan(0, lengthA));
        var idsB = Ids(b.AsSpan(0, lengthB));
        Assert.Equal(5, idsA.Count);
        Assert.Empty(idsA.Intersect(idsB));
        System.Buffers.ArrayPool<byte>.Shared.Return(a);
        System.Buffers.ArrayPool<byte>.Shared.Return(b);

        static HashSet<Guid> Ids(ReadOnlySpan<byte> json)
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            return doc.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToHashSet();
        }
    }

    [Fact]
    public async Task End_to_end_sees_probes_and_the_whole_load()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakePipeline.StartAsync();
        using var http = CollectorHttp.CreateClient(4);
        var stats = new StatsClient(http, fake.Origin, "demo", null);
        var e2e = new EndToEnd(CollectorHttp.EventsEndpoint(fake.Origin), stats, "demo", 4, TimeSpan.FromSeconds(20));

        var probe = await e2e.ProbeAsync(3, 6, TimeSpan.FromMilliseconds(50), 1, ct);
        Assert.Equal(3, probe.Visible);
        Assert.True(probe.MedianMs < 5_000);

        var throughput = await e2e.ThroughputAsync(2_000, 2, ct);
        Assert.NotNull(throughput.VisibleAfter);
        Assert.Equal(2_000, throughput.CountedEvents);
    }

    [Fact]
    public async Task Simulate_waits_until_its_events_are_visible()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakePipeline.StartAsync();
        var options = new SimulatorOptions { Seed = 9, TotalEvents = 1_500, BaseUrl = fake.Origin, BotShare = 0, GpcShare = 0, DuplicateShare = 0.05 };
        var exit = await Analytics.Cli.Commands.SimulateCommand.RunAsync(options, null, quiet: true,
            new Analytics.Cli.Commands.SimulateCommand.VisibilityWait(fake.Origin, null, TimeSpan.FromSeconds(20)), ct);
        Assert.Equal(Analytics.Cli.Commands.ExitCodes.Ok, exit);
    }
}
