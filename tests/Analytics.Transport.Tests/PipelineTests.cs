using System.Collections.Concurrent;
using System.Text;
using Analytics.TestUtilities;
using Analytics.TestUtilities.Kafka;
using Analytics.Transport.KafkaTransport;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;

namespace Analytics.Transport.Tests;

/// <summary>
/// Collector-side transport → Kafka (librdkafka mock cluster) → the real AnonymizerWorker → chDB, with faults; every
/// test compares exact counts in events and in the aggregates with what was published (no loss, no duplicates).
/// </summary>
public sealed class PipelineTests(ChDbFixture engine)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A mock cluster with the topics, a fresh store and a producer; disposed producer first, store last.</summary>
    private sealed class Rig(KafkaMockCluster cluster, KafkaTransportOptions options, FlakyStore store) : IAsyncDisposable
    {
        private readonly KafkaEventTransport _transport = Harness.Transport(options);

        public void Deconstruct(out KafkaMockCluster c, out KafkaTransportOptions o, out FlakyStore s, out KafkaEventTransport t) =>
            (c, o, s, t) = (cluster, options, store, _transport);

        public async ValueTask DisposeAsync()
        {
            _transport.Dispose();
            cluster.Dispose();
            await store.DisposeAsync();
        }
    }

    private async Task<Rig> SetUpAsync(string name)
    {
        var cluster = new KafkaMockCluster();
        var o = Harness.Options(cluster.BootstrapServers, KafkaMockFixture.Unique(name));
        Harness.CreateTopics(cluster, o);
        return new Rig(cluster, o, new FlakyStore(await engine.CreateStoreAsync(name, Ct)));
    }

    [Fact]
    public async Task End_to_end_every_published_event_is_stored_once()
    {
        await using var rig = await SetUpAsync("e2e");
        var (cluster, o, store, transport) = rig;
        using var source = Harness.Source(o);
        using var host = Harness.AnonymizerHost(source, store);
        await host.StartAsync(Ct);
        var events = Harness.Events(20_000);

        Assert.Equal(0, await Harness.PublishAllAsync(transport, events, Ct));

        await Harness.AssertExactAsync(store, events, o, Settle, Ct);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task A_broker_down_mid_stream_loses_nothing_and_duplicates_nothing()
    {
        await using var rig = await SetUpAsync("brokerdown");
        var (cluster, o, store, transport) = rig;
        using var source = Harness.Source(o);
        using var host = Harness.AnonymizerHost(source, store);
        await host.StartAsync(Ct);
        var events = Harness.Events(30_000);

        var first = events.Take(10_000).ToList();
        await Harness.PublishAllAsync(transport, first, Ct);
        var publishing = Harness.PublishAllAsync(transport, events.Skip(10_000).ToList(), Ct);
        cluster.SetBrokerDown(1);
        // The outage itself is what is tested: producers retry, commits retry, nothing may be lost meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(10), Ct); // the fault: a broker down for 10 s mid-stream
        cluster.SetBrokerUp(1);
        await publishing;

        await Harness.AssertExactAsync(store, events, o, Settle, Ct);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task Injected_produce_errors_are_retried_without_loss_or_duplicates()
    {
        await using var rig = await SetUpAsync("produceerrors");
        var (cluster, o, store, transport) = rig;
        using var source = Harness.Source(o);
        using var host = Harness.AnonymizerHost(source, store);
        await host.StartAsync(Ct);
        var events = Harness.Events(20_000);
        await Harness.PublishAllAsync(transport, events.Take(2_000).ToList(), Ct);

        cluster.PushRequestErrors(KafkaApiKey.Produce,
            KafkaErrors.NotLeaderForPartition, KafkaErrors.RequestTimedOut, KafkaErrors.NotEnoughReplicas,
            KafkaErrors.NotEnoughReplicasAfterAppend, KafkaErrors.NotLeaderForPartition, KafkaErrors.NotEnoughReplicas,
            KafkaErrors.RequestTimedOut, KafkaErrors.NotEnoughReplicas);
        cluster.PushRequestErrors(KafkaApiKey.OffsetCommit, KafkaErrors.CoordinatorNotAvailable, KafkaErrors.NotCoordinator);
        Assert.Equal(0, await Harness.PublishAllAsync(transport, events.Skip(2_000).ToList(), Ct));

        await Harness.AssertExactAsync(store, events, o, Settle, Ct);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task An_anonymizer_killed_between_write_and_commit_is_replayed_with_the_same_token_and_dropped()
    {
        await using var rig = await SetUpAsync("killed");
        var (cluster, o, store, transport) = rig;
        var events = Harness.Events(20_000);
        await Harness.PublishAllAsync(transport, events, Ct);

        var tokens = new ConcurrentQueue<string>();
        var killed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.AfterWrite = async token =>
        {
            tokens.Enqueue(token);
            // The third batch is written, then the process "dies" before it commits.
            if (tokens.Count == 3 && killed.TrySetResult(token)) await release.Task;
        };
        var source1 = Harness.Source(o);
        var host1 = Harness.AnonymizerHost(source1, store, maxBatchEvents: 1000);
        await host1.StartAsync(Ct);
        var killedToken = await killed.Task.WaitAsync(Settle, Ct);
        source1.Dispose(); // the consumer is gone: no commit for the written batch, the group moves its partitions

        using var source2 = Harness.Source(o);
        using var host2 = Harness.AnonymizerHost(source2, store, maxBatchEvents: 1000);
        await host2.StartAsync(Ct);

        await Harness.AssertExactAsync(store, events, o, Settle, Ct);
        Assert.Equal(2, tokens.Count(t => t == killedToken)); // written twice, stored once
        await host2.StopAsync(Ct);
        var stopping = host1.StopAsync(Ct);
        release.SetResult();
        await stopping;
        host1.Dispose();
    }

    [Fact]
    public async Task A_store_outage_keeps_offsets_uncommitted_and_writes_everything_once_it_is_back()
    {
        await using var rig = await SetUpAsync("storedown");
        var (cluster, o, store, transport) = rig;
        using var source = Harness.Source(o);
        using var host = Harness.AnonymizerHost(source, store);
        store.Failing = true;
        await host.StartAsync(Ct);
        var events = Harness.Events(20_000);

        await Harness.PublishAllAsync(transport, events, Ct);
        await store.FirstFailure.Task.WaitAsync(Settle, Ct);
        // the fault: storage failing for 10 s; writes keep being retried meanwhile
        await Task.Delay(TimeSpan.FromSeconds(10), Ct);
        await Harness.Eventually(() => Task.FromResult(store.Failures >= 6), Settle, "six failed writes", Ct);

        Assert.Equal(0L, CommittedTotal(o));
        Assert.Equal(0UL, await Harness.Scalar(store, "SELECT count() AS c FROM events", Ct));
        store.Failing = false;

        await Harness.AssertExactAsync(store, events, o, Settle, Ct);
        await Harness.Eventually(() => Task.FromResult(CommittedTotal(o) == events.Count), Settle, "all offsets committed", Ct);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task A_second_anonymizer_joining_mid_stream_rebalances_without_double_counting()
    {
        await using var rig = await SetUpAsync("rebalance");
        var (cluster, o, store, transport) = rig;
        using var source1 = Harness.Source(o);
        using var host1 = Harness.AnonymizerHost(source1, store, maxBatchEvents: 500);
        await host1.StartAsync(Ct);
        var events = Harness.Events(30_000);

        await Harness.PublishAllAsync(transport, events.Take(10_000).ToList(), Ct);
        await Harness.Eventually(async () => await Harness.Scalar(store, "SELECT count() AS c FROM events", Ct) > 0, Settle, "first writes", Ct);
        var publishing = Harness.PublishAllAsync(transport, events.Skip(10_000).ToList(), Ct);
        using var source2 = Harness.Source(o);
        using var host2 = Harness.AnonymizerHost(source2, store, maxBatchEvents: 500);
        await host2.StartAsync(Ct);
        await publishing;

        await Harness.AssertExactAsync(store, events, o, Settle, Ct);
        Assert.NotEmpty(source2.OwnedPartitions);
        Assert.NotEmpty(source1.OwnedPartitions);
        await host2.StopAsync(Ct);
        await host1.StopAsync(Ct);
    }

    [Fact]
    public async Task Poison_messages_go_to_the_dead_letter_topic_without_identifiers_and_the_stream_continues()
    {
        await using var rig = await SetUpAsync("poison");
        var (cluster, o, store, transport) = rig;
        using var source = Harness.Source(o);
        using var host = Harness.AnonymizerHost(source, store);
        await host.StartAsync(Ct);
        var before = Harness.Events(2_000, seed: 1);
        var after = Harness.Events(2_000, seed: 2);
        await Harness.PublishAllAsync(transport, before, Ct);

        const string ip = "203.0.113.77", ua = "SecretAgent/1.0", query = "email=victim%40example.com";
        var v2 = Encoding.UTF8.GetBytes($$$"""{"v":2,"site":"shop","type":"page_view","eventId":"{{{Guid.NewGuid()}}}","ts":1,"rcv":1,"url":"https://shop.example/?{{{query}}}","ident":{"scheme":"plain","ip":"{{{ip}}}","ua":"{{{ua}}}"}}""");
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = o.BootstrapServers }).Build())
        {
            Message<string, byte[]> Poison(byte[] body, string? schema) => new()
            {
                Key = "shop:0001",
                Value = body,
                Headers = schema is null ? [] : new Headers { { RawEventSerializer.SchemaHeader, Encoding.ASCII.GetBytes(schema) } },
            };
            await producer.ProduceAsync(o.RawTopic, Poison(Encoding.UTF8.GetBytes($"garbage {ip} {ua} {query}"), RawEventSerializer.SchemaV1), Ct);
            await producer.ProduceAsync(o.RawTopic, Poison(v2, RawEventSerializer.SchemaV1), Ct);
            await producer.ProduceAsync(o.RawTopic, Poison(v2, $"x-{ip}"), Ct);
        }
        await Harness.PublishAllAsync(transport, after, Ct);

        await Harness.AssertExactAsync(store, [.. before, .. after], o, Settle, Ct);
        var dead = ReadAll(o.BootstrapServers, o.DeadLetterTopic, 3);
        Assert.Equal(["malformed", "unknown-schema", "unsupported-version"],
            dead.Select(m => Encoding.ASCII.GetString(m.Headers.GetLastBytes(DeadLetter.ReasonHeader))).Order().ToArray());
        foreach (var m in dead)
        {
            var text = Encoding.UTF8.GetString(m.Value) + string.Join("|", m.Headers.Select(h => Encoding.UTF8.GetString(h.GetValueBytes())));
            Assert.DoesNotContain(ip, text, StringComparison.Ordinal);
            Assert.DoesNotContain(ua, text, StringComparison.Ordinal);
            Assert.DoesNotContain("victim", text, StringComparison.Ordinal);
            Assert.Contains("\"offset\"", text, StringComparison.Ordinal);
            Assert.Contains(o.RawTopic, text, StringComparison.Ordinal);
        }
        await host.StopAsync(Ct);
    }

    private static long CommittedTotal(KafkaTransportOptions o)
    {
        using var c = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig { BootstrapServers = o.BootstrapServers, GroupId = o.GroupId }).Build();
        var committed = c.Committed(Enumerable.Range(0, o.RawPartitions).Select(p => new TopicPartition(o.RawTopic, p)), TimeSpan.FromSeconds(10));
        return committed.Sum(tpo => tpo.Offset.IsSpecial ? 0 : tpo.Offset.Value);
    }

    private static List<Message<Ignore, byte[]>> ReadAll(string bootstrap, string topic, int expected)
    {
        using var c = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap, GroupId = "reader-" + Guid.NewGuid(), AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        c.Subscribe(topic);
        var list = new List<Message<Ignore, byte[]>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (list.Count < expected && DateTime.UtcNow < deadline)
        {
            if (c.Consume(TimeSpan.FromMilliseconds(200)) is { Message: { } m }) list.Add(m);
        }
        c.Close();
        return list;
    }
}
