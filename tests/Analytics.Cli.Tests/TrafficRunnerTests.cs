using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Cli.Tests;

/// <summary>A stand-in for the collector on 127.0.0.1:0 that answers like the contract says, with a 503 every third request.</summary>
internal sealed class FakeCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    public ConcurrentBag<Guid> StoredIds { get; } = [];
    public ConcurrentBag<(string? ForwardedFor, string? UserAgent, bool OptOut)> Headers { get; } = [];
    public int ServiceUnavailableAnswers;
    public Uri Endpoint { get; private set; } = null!;

    private FakeCollector(WebApplication app) => _app = app;

    public static async Task<FakeCollector> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var fake = new FakeCollector(app);
        app.MapPost("/v1/events", fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Endpoint = new Uri(new Uri(address), "/v1/events");
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var doc = await JsonDocument.ParseAsync(context.Request.Body);
        if (Interlocked.Increment(ref _calls) % 3 == 0)
        {
            Interlocked.Increment(ref ServiceUnavailableAnswers);
            context.Response.StatusCode = 503;
            context.Response.Headers.RetryAfter = "0";
            return;
        }
        var events = doc.RootElement.GetProperty("events");
        var optOut = context.Request.Headers["Sec-GPC"] == "1" || context.Request.Headers["DNT"] == "1";
        Headers.Add((context.Request.Headers["X-Forwarded-For"], context.Request.Headers.UserAgent, optOut));
        if (!optOut)
        {
            foreach (var e in events.EnumerateArray()) StoredIds.Add(e.GetProperty("id").GetGuid());
        }
        context.Response.StatusCode = 202;
        await context.Response.WriteAsJsonAsync(new
        {
            accepted = optOut ? 0 : events.GetArrayLength(),
            rejected = Array.Empty<object>(),
            consent_dropped = optOut ? events.GetArrayLength() : 0,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed class TrafficRunnerTests
{
    [Fact]
    public async Task Retries_503_batches_and_records_the_same_truth_as_generation()
    {
        await using var fake = await FakeCollector.StartAsync();
        var simulator = new TrafficSimulator(new SimulatorOptions
        {
            Seed = 3, TotalEvents = 3_000, Visitors = 300, BotShare = 0.05, GpcShare = 0.1, DuplicateShare = 0.05, PiiShare = 0.05,
        });
        using var client = CollectorHttp.CreateClient(4);
        var runner = new TrafficRunner(client, new RunnerOptions(fake.Endpoint, 4, 0));
        var builder = new GroundTruthBuilder(simulator);

        await runner.RunAsync(simulator.GenerateRequests(), builder, TestContext.Current.CancellationToken);

        var expected = simulator.ComputeTruth(simulator.GenerateRequests());
        var actual = builder.Build();
        Assert.True(fake.ServiceUnavailableAnswers > 0);
        Assert.Equal(fake.ServiceUnavailableAnswers, runner.Counters.Throttled);
        Assert.Equal(0, runner.Counters.FailedRequests);
        Assert.Equal(3_000, runner.Counters.EventsSent);
        Assert.Equal(expected.CountedEvents, actual.CountedEvents);
        Assert.Equal(expected.EventsAccepted, actual.EventsAccepted);
        Assert.Equal(expected.Pages, actual.Pages);
        Assert.Equal(expected.Visitors, actual.Visitors);
        Assert.True(runner.Counters.ConsentDropped > 0);

        // Every batch arrived once per send; the retried duplicates repeat ids, which the pipeline drops.
        var human = simulator.GenerateRequests().Where(r => r.Visitor.Kind is VisitorKind.Human or VisitorKind.Bot).SelectMany(r => r.Events).Select(e => e.Id).ToHashSet();
        Assert.Equal(human, fake.StoredIds.ToHashSet());
        Assert.All(fake.Headers, h => Assert.False(string.IsNullOrEmpty(h.ForwardedFor)));
        Assert.Contains(fake.Headers, h => h.OptOut);
    }

    [Fact]
    public async Task Paces_to_the_requested_rate()
    {
        await using var fake = await FakeCollector.StartAsync();
        var simulator = new TrafficSimulator(new SimulatorOptions { Seed = 1, TotalEvents = 200, RatePerSecond = 400, Visitors = 50 });
        using var client = CollectorHttp.CreateClient(4);
        var runner = new TrafficRunner(client, new RunnerOptions(fake.Endpoint, 4, 400));
        var started = TimeProvider.System.GetTimestamp();
        await runner.RunAsync(simulator.GenerateRequests(), null, TestContext.Current.CancellationToken);
        // 200 events at 400/s: about half a second (the last batch is not waited for).
        Assert.InRange(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 0.3, 5);
    }
}

public sealed class CollectorHttpTests
{
    [Fact]
    public void Parses_the_collector_answer()
    {
        var answer = CollectorHttp.ParseAnswer("""{"accepted":7,"rejected":[{"index":1,"reason":"bad url"},{"reason":"x","index":4}],"consent_dropped":0}"""u8);
        Assert.Equal(7, answer.Accepted);
        Assert.Equal([1, 4], answer.RejectedIndexes);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/v1/events")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1/events")]
    [InlineData("http://127.0.0.1:8080/v1/events", "http://127.0.0.1:8080/v1/events")]
    public void Events_endpoint_accepts_an_origin_or_the_endpoint(string url, string expected)
    {
        Assert.Equal(new Uri(expected), CollectorHttp.EventsEndpoint(new Uri(url)));
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("00:00:03", 3_000)]
    public void Parses_durations(string text, double milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Analytics.Cli.Commands.CliOptions.ParseDuration(text));
    }
}
