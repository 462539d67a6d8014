using System.Diagnostics.Metrics;
using Analytics.Anonymizer;
using Analytics.Contracts;
using Analytics.Storage;
using Analytics.Transport.KafkaTransport;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Transport.Tests;

/// <summary>Builders shared by the tests: options, clients, events, an anonymizer host over a Kafka source.</summary>
internal static class Harness
{
    public const string Site = "shop";

    public static KafkaTransportOptions Options(string bootstrap, string raw, string? group = null) => new()
    {
        BootstrapServers = bootstrap,
        RawTopic = raw,
        DeadLetterTopic = raw + ".dlq",
        CutJournalTopic = raw + ".cuts",
        GroupId = group ?? raw + "-group",
        LingerMs = 5,
        MessageTimeoutMs = 30_000,
        SessionTimeoutMs = 6_000,
        RequestTimeoutMs = 5_000,
        RawPartitions = 6,
        ReplicationFactor = 3,
    };

    public static IMeterFactory Meters { get; } = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static KafkaEventTransport Transport(KafkaTransportOptions o, KafkaTransportMetrics? metrics = null) =>
        new(Microsoft.Extensions.Options.Options.Create(o), new RawEventSerializer(), metrics ?? new KafkaTransportMetrics(Meters), FileLogger<KafkaEventTransport>.Create());

    public static KafkaEventBatchSource Source(KafkaTransportOptions o, KafkaTransportMetrics? metrics = null) =>
        new(Microsoft.Extensions.Options.Options.Create(o), new RawEventSerializer(), metrics ?? new KafkaTransportMetrics(Meters), TimeProvider.System,
            FileLogger<KafkaEventBatchSource>.Create("." + o.GroupId));

    /// <summary>Creates the raw topic (and its journal, dead-letter topic) on the mock cluster.</summary>
    public static void CreateTopics(TestUtilities.Kafka.KafkaMockCluster cluster, KafkaTransportOptions o)
    {
        cluster.CreateTopic(o.RawTopic, o.RawPartitions);
        cluster.CreateTopic(o.CutJournalTopic, o.RawPartitions);
        cluster.CreateTopic(o.DeadLetterTopic, 1);
    }

    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    ];

    /// <summary><paramref name="count"/> events: two thirds page views, one third product views, distinct ids, ~500 visitors.</summary>
    public static List<CollectedEvent> Events(int count, int seed = 1)
    {
        var random = new Random(seed);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var list = new List<CollectedEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var visitor = random.Next(500);
            var product = i % 3 == 2;
            list.Add(new CollectedEvent
            {
                Site = Site,
                Type = product ? EventTypes.ProductView : EventTypes.PageView,
                EventId = Guid.NewGuid(),
                TimestampMs = now,
                ReceivedAtMs = now,
                Url = product ? $"https://shop.example/p/sku-{i % 40}?utm_source=news&email=a%40b.c" : $"https://shop.example/c/{i % 25}",
                Referrer = "https://www.google.com/search?q=shoes",
                Title = "Page " + (i % 25),
                Screen = "1920x1080",
                Lang = "de-DE",
                Product = product ? new ProductInfo("sku-" + (i % 40), "Shoe", "Shoes", 49.90m, "EUR") : null,
                ClientIp = $"10.{visitor / 200}.{visitor % 200}.{1 + visitor % 7}",
                UserAgent = Agents[visitor % Agents.Length],
            });
        }
        return list;
    }

    /// <summary>Publishes in beacon-sized batches, several at once, retrying a batch answered Unavailable/Full.</summary>
    public static async Task<int> PublishAllAsync(IEventTransport transport, IReadOnlyList<CollectedEvent> events, CancellationToken ct, int batchSize = 20, int concurrency = 64)
    {
        var retries = 0;
        var batches = events.Chunk(batchSize).ToArray();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct }, async (batch, token) =>
        {
            while (await transport.PublishAsync(batch, token) != PublishStatus.Accepted)
            {
                Interlocked.Increment(ref retries);
                await Task.Delay(50, token); // the collector's client would honour Retry-After
            }
        });
        return retries;
    }

    /// <summary>An anonymizer host (the real AnonymizerWorker) reading <paramref name="source"/> into <paramref name="store"/>.</summary>
    public static IHost AnonymizerHost(IEventBatchSource source, IAnalyticsStore store, int maxBatchEvents = 2000, Action<IServiceCollection>? more = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sites:0:Id"] = Site,
            ["Sites:0:TimeZone"] = "UTC",
            ["Anonymizer:MaxBatchEvents"] = maxBatchEvents.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Anonymizer:MaxBatchWait"] = "00:00:00.100",
            ["Anonymizer:WriteRetries"] = "2",
            ["Anonymizer:WriteRetryDelay"] = "00:00:00.050",
            ["Anonymizer:WriteTimeout"] = "00:00:30",
            ["Anonymizer:BreakerDuration"] = "00:00:00.500",
        });
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("TRANSPORT_TEST_LOG") is { Length: > 0 } log) builder.Logging.AddProvider(new FileLoggerProvider(log));
        builder.AddAnonymizer();
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(source);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        more?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling the store (no fixed sleeps), or fails after <paramref name="timeout"/>.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (!await condition()) await timer.WaitForNextTickAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
        }
    }

    public static async Task<ulong> Scalar(IAnalyticsStore store, string sql, CancellationToken ct)
    {
        var rows = await store.QueryAsync(sql, new Dictionary<string, string>(), ct);
        var value = rows[0].EnumerateObject().First().Value;
        return value.ValueKind == System.Text.Json.JsonValueKind.String ? ulong.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : value.GetUInt64();
    }

    public record struct Counts(ulong Events, ulong PageViews, ulong ProductViews, ulong SitePageViews, ulong SiteProductViews);

    public static async Task<Counts> CountsAsync(IAnalyticsStore store, CancellationToken ct) => new(
        await Scalar(store, "SELECT count() AS c FROM events", ct),
        await Scalar(store, "SELECT sum(views) AS c FROM page_stats_daily", ct),
        await Scalar(store, "SELECT sum(views) AS c FROM product_stats_daily", ct),
        await Scalar(store, "SELECT sum(page_views) AS c FROM site_stats_daily", ct),
        await Scalar(store, "SELECT sum(product_views) AS c FROM site_stats_daily", ct));

    public static Counts Expected(IReadOnlyCollection<CollectedEvent> events)
    {
        var pages = (ulong)events.Count(e => e.Type == EventTypes.PageView);
        var products = (ulong)events.Count(e => e.Type == EventTypes.ProductView);
        return new Counts(pages + products, pages, products, pages, products);
    }

    /// <summary>
    /// Waits until every raw message is committed by the group and the store's counts equal what was published (a
    /// block's aggregates become visible a moment after its events), then checks every count exactly once more.
    /// </summary>
    public static async Task AssertExactAsync(IAnalyticsStore store, IReadOnlyCollection<CollectedEvent> published, KafkaTransportOptions o, TimeSpan timeout, CancellationToken ct)
    {
        var expected = Expected(published);
        await Eventually(() => Task.FromResult(Uncommitted(o) == 0), timeout, "every raw message committed", ct);
        Counts last = default;
        await Eventually(async () => (last = await CountsAsync(store, ct)) == expected, TimeSpan.FromSeconds(15), $"counts {expected} (last {last})", ct);
        Assert.Equal(expected, await CountsAsync(store, ct));
        Assert.Equal((ulong)published.Count, await Scalar(store, "SELECT uniqExact(event_id) AS c FROM events", ct));
    }

    /// <summary>Messages in the raw topic not yet committed by the group.</summary>
    public static long Uncommitted(KafkaTransportOptions o)
    {
        using var c = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig { BootstrapServers = o.BootstrapServers, GroupId = o.GroupId }).Build();
        var partitions = Enumerable.Range(0, o.RawPartitions).Select(p => new TopicPartition(o.RawTopic, p)).ToList();
        var committed = c.Committed(partitions, TimeSpan.FromSeconds(10)).ToDictionary(t => t.Partition.Value, t => t.Offset.IsSpecial ? 0 : t.Offset.Value);
        return partitions.Sum(tp => c.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value - committed[tp.Partition.Value]);
    }
}

/// <summary>A store that fails every write while <see cref="Failing"/> is set, and counts the attempts.</summary>
internal sealed class FlakyStore(IAnalyticsStore inner) : IAnalyticsStore, IAsyncDisposable
{
    public ValueTask DisposeAsync() => inner is IAsyncDisposable d ? d.DisposeAsync() : ValueTask.CompletedTask;

    private int _failures;
    private int _inserts;

    private volatile bool _failing;

    public bool Failing { get => _failing; set => _failing = value; }

    /// <summary>Set after a failed write, so a test can wait for "the writer has hit the outage".</summary>
    public TaskCompletionSource FirstFailure { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Failures => Volatile.Read(ref _failures);
    public int Inserts => Volatile.Read(ref _inserts);

    /// <summary>Called after a write succeeded, before the batch is acknowledged (the "crash" window).</summary>
    public Func<string, Task>? AfterWrite { get; set; }

    /// <summary>Sees the rows of every successful write (e.g. to measure end-to-end delay).</summary>
    public Action<IReadOnlyList<AnonymizedEvent>>? AfterRows { get; set; }

    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public async Task InsertEventsAsync(IReadOnlyList<AnonymizedEvent> rows, string deduplicationToken, CancellationToken cancellationToken)
    {
        if (_failing)
        {
            Interlocked.Increment(ref _failures);
            FirstFailure.TrySetResult();
            throw new AnalyticsStoreException("injected: store unavailable");
        }
        await inner.InsertEventsAsync(rows, deduplicationToken, cancellationToken);
        Interlocked.Increment(ref _inserts);
        AfterRows?.Invoke(rows);
        if (AfterWrite is { } hook) await hook(deduplicationToken);
    }

    public Task<IReadOnlyList<System.Text.Json.JsonElement>> QueryAsync(string sql, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken) =>
        inner.QueryAsync(sql, parameters, cancellationToken);

    public Task ExecuteAsync(string sql, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken) =>
        inner.ExecuteAsync(sql, parameters, cancellationToken);
}
