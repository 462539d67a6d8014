using System.Collections.Concurrent;
using System.Diagnostics;
using Analytics.TestUtilities;
using Analytics.TestUtilities.Kafka;

namespace Analytics.Transport.Tests;

/// <summary>The acceptance: 200,000 simulated events through producer → Kafka (mock) → anonymizer → chDB, exact.</summary>
public sealed class ThroughputTests(ChDbFixture engine)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_hundred_thousand_events_end_to_end_exactly_once()
    {
        using var cluster = new KafkaMockCluster();
        var o = Harness.Options(cluster.BootstrapServers, KafkaMockFixture.Unique("bulk"));
        Harness.CreateTopics(cluster, o);
        await using var store = new FlakyStore(await engine.CreateStoreAsync("bulk", Ct));
        var delays = new ConcurrentBag<double>();
        store.AfterRows = rows =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var r in rows) delays.Add(now - new DateTimeOffset(r.Timestamp).ToUnixTimeMilliseconds());
        };
        using var transport = Harness.Transport(o);
        using var source = Harness.Source(o);
        using var host = Harness.AnonymizerHost(source, store, maxBatchEvents: 5000);
        await host.StartAsync(Ct);
        var events = Harness.Events(200_000);

        var clock = Stopwatch.StartNew();
        // Stamp each event when it is handed to the transport, so "delay" is publish → stored.
        var retries = await Harness.PublishAllAsync(new StampingTransport(transport), events, Ct, batchSize: 50, concurrency: 64);
        var published = clock.Elapsed;
        await Harness.AssertExactAsync(store, events, o, TimeSpan.FromSeconds(90), Ct);
        var total = clock.Elapsed;

        var sorted = delays.Order().ToArray();
        var line = $"events={events.Count} publish={published.TotalSeconds:0.00}s ({events.Count / published.TotalSeconds:0} ev/s) " +
            $"end-to-end={total.TotalSeconds:0.00}s ({events.Count / total.TotalSeconds:0} ev/s) " +
            $"delay median={sorted[sorted.Length / 2]:0} ms p99={sorted[(int)(sorted.Length * 0.99)]:0} ms retries={retries} inserts={store.Inserts}";
        TestContext.Current.SendDiagnosticMessage(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("KAFKA_BENCH_OUT") is { Length: > 0 } path) await File.AppendAllTextAsync(path, line + Environment.NewLine, Ct);
        Assert.True(total < TimeSpan.FromMinutes(2), line);
        await host.StopAsync(Ct);
    }

    private sealed class StampingTransport(IEventTransport inner) : IEventTransport
    {
        public ValueTask<PublishStatus> PublishAsync(IReadOnlyList<Contracts.CollectedEvent> events, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            return inner.PublishAsync(events.Select(e => e with { TimestampMs = now, ReceivedAtMs = now }).ToList(), cancellationToken);
        }
    }
}
