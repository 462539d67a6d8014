using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Analytics.Contracts;
using Analytics.TestUtilities;
using Analytics.TestUtilities.Kafka;
using Analytics.Transport.KafkaTransport;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Analytics.Transport.Tests;

/// <summary>
/// Crypto-shredding of the raw topic: identifying fields are sealed under the day's raw-data key (shared through the
/// keys topic, sealed under the master key) before they leave the collector, opened by the anonymizer, and unreadable
/// by anyone once the key is destroyed (memory zeroed, tombstone in the keys topic).
/// </summary>
public sealed class RawTopicSealingTests(ChDbFixture engine, KafkaMockFixture kafka)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Raw_messages_hold_no_plaintext_ip_or_user_agent_and_the_keys_topic_no_master_key()
    {
        var (o, master) = SetUp(kafka.Cluster, "seal.bytes");
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var keys = Keys(o, master, time, "collector-1");
        using var transport = Transport(o, keys);
        var events = Harness.Events(300);

        Assert.Equal(0, await Harness.PublishAllAsync(transport, events, Ct));

        var raw = ReadTopic(o.BootstrapServers, o.RawTopic, o.RawPartitions);
        Assert.Equal(events.Count, raw.Count);
        var secrets = events.SelectMany(e => new[] { e.ClientIp, e.UserAgent }).Distinct().ToList();
        foreach (var m in raw)
        {
            var bytes = Bytes(m);
            Assert.Contains("\"scheme\":\"aes-gcm.v1\"", Encoding.UTF8.GetString(m.Value!), StringComparison.Ordinal);
            foreach (var secret in secrets) Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(secret)), "plaintext identifier in a raw message");
        }

        var day = RawDataKeys.DayOf(events[0].ReceivedAtMs);
        var keyRecords = ReadTopic(o.BootstrapServers, o.RawKeysTopic, 1);
        var keyId = Assert.Single(keyRecords.Select(r => Encoding.ASCII.GetString(r.Key!)).Distinct());
        var dayKey = keys.PeekKey(keyId)!;
        var masterBytes = Convert.FromBase64String(master);
        foreach (var r in keyRecords)
        {
            var bytes = Bytes(r);
            foreach (var material in new[] { masterBytes, Encoding.ASCII.GetBytes(master), dayKey, Encoding.ASCII.GetBytes(Convert.ToBase64String(dayKey)), Encoding.ASCII.GetBytes(Convert.ToHexString(dayKey)), Encoding.ASCII.GetBytes(Convert.ToHexStringLower(dayKey)) })
            {
                Assert.False(Contains(bytes, material), "key material in the keys topic");
            }
        }
        Assert.StartsWith(day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "-", keyId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_anonymizer_opens_sealed_fields_and_stores_every_event_end_to_end()
    {
        using var cluster = new KafkaMockCluster();
        var (o, master) = SetUp(cluster, "seal.e2e");
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var collectorKeys = Keys(o, master, time, "collector-1");
        using var anonymizerKeys = Keys(o, master, time, "anonymizer-1");
        await using var store = new FlakyStore(await engine.CreateStoreAsync("seal_e2e", Ct));
        using var transport = Transport(o, collectorKeys);
        using var source = new KafkaEventBatchSource(MsOptions.Create(o), new RawEventSerializer(new SealedIdentifyingFields(anonymizerKeys)),
            new KafkaTransportMetrics(Harness.Meters), TimeProvider.System, NullLogger<KafkaEventBatchSource>.Instance);
        using var host = Harness.AnonymizerHost(source, store);
        await host.StartAsync(Ct);
        var events = Harness.Events(3_000);

        Assert.Equal(0, await Harness.PublishAllAsync(transport, events, Ct));

        await Harness.AssertExactAsync(store, events, o, TimeSpan.FromSeconds(60), Ct);
        // Visitor keys are an HMAC over IP and UA: ~500 distinct visitors only if both were opened correctly.
        var visitors = await Harness.Scalar(store, "SELECT uniqExact(visitor_key) AS c FROM events", Ct);
        var expected = (ulong)events.Select(e => (e.ClientIp, e.UserAgent)).Distinct().Count();
        Assert.Equal(expected, visitors);
        Assert.Empty(DeadLetters(o));
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task After_destruction_a_fresh_reader_cannot_open_the_raw_topic_and_the_key_is_gone_from_memory_and_the_keys_topic()
    {
        var (o, master) = SetUp(kafka.Cluster, "seal.shred");
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var logs = new ListLogger<RawDataKeys>();
        using var collectorKeys = Keys(o, master, time, "collector-1", logs);
        using var anonymizerKeys = Keys(o, master, time, "anonymizer-1", logs);
        using var transport = Transport(o, collectorKeys);
        var events = Harness.Events(40);
        Assert.Equal(0, await Harness.PublishAllAsync(transport, events, Ct));
        var day = RawDataKeys.DayOf(events[0].ReceivedAtMs);

        // Before: the anonymizer's reader opens every message.
        var raw = ReadTopic(o.BootstrapServers, o.RawTopic, o.RawPartitions);
        var before = new RawEventSerializer(new SealedIdentifyingFields(anonymizerKeys));
        Assert.All(raw, m => Assert.Equal(RawReadResult.Ok, Read(before, m, out _)));
        var keyId = Assert.Single(ReadTopic(o.BootstrapServers, o.RawKeysTopic, 1).Select(r => Encoding.ASCII.GetString(r.Key!)).Distinct());
        var collectorCopy = collectorKeys.PeekKey(keyId)!;
        var anonymizerCopy = anonymizerKeys.PeekKey(keyId)!;
        Assert.Contains(collectorCopy, b => b != 0);

        // Nothing happens before the key's time (day end + raw retention + margin).
        time.Set(collectorKeys.DestroyAt(day) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await collectorKeys.DestroyExpiredAsync(Ct));
        Assert.True(collectorKeys.HoldsKeyOf(day));

        time.Set(collectorKeys.DestroyAt(day) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await collectorKeys.DestroyExpiredAsync(Ct));
        Assert.Equal(0, await anonymizerKeys.DestroyExpiredAsync(Ct)); // already tombstoned: drops its copy only

        Assert.False(collectorKeys.HoldsKeyOf(day));
        Assert.False(anonymizerKeys.HoldsKeyOf(day));
        Assert.All(collectorCopy, b => Assert.Equal(0, b));
        Assert.All(anonymizerCopy, b => Assert.Equal(0, b));
        // The keys topic: the latest value of every record key is a tombstone.
        var latest = ReadTopic(o.BootstrapServers, o.RawKeysTopic, 1).GroupBy(r => Encoding.ASCII.GetString(r.Key!)).Select(g => g.Last()).ToList();
        Assert.NotEmpty(latest);
        Assert.All(latest, r => Assert.Null(r.Value));

        // A fresh reader with the master key — even one whose clock says the key should still exist — cannot open anything.
        using var freshKeys = Keys(o, master, new ManualTime(time.GetUtcNow() - TimeSpan.FromDays(1)), "forensics");
        var fresh = new RawEventSerializer(new SealedIdentifyingFields(freshKeys));
        Assert.All(raw, m => Assert.Equal(RawReadResult.Unsealable, Read(fresh, m, out _)));
        Assert.All(raw, m => Assert.Equal(RawReadResult.Unsealable, Read(before, m, out _)));

        // And the consumer dead-letters every message as `unsealable`, without payload.
        using var source = new KafkaEventBatchSource(MsOptions.Create(o), fresh, new KafkaTransportMetrics(Harness.Meters), TimeProvider.System,
            NullLogger<KafkaEventBatchSource>.Instance);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var reading = Task.Run(async () => await source.ReadBatchAsync(100, TimeSpan.FromMilliseconds(100), stop.Token), Ct);
        List<Message<byte[]?, byte[]?>> dead = [];
        await Harness.Eventually(() => Task.FromResult((dead = DeadLetters(o)).Count >= raw.Count), TimeSpan.FromSeconds(30), "every message dead-lettered", Ct);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal(raw.Count, dead.Count);
        Assert.All(dead, m => Assert.Equal("unsealable", Encoding.ASCII.GetString(m.Headers.GetLastBytes(DeadLetter.ReasonHeader))));
        foreach (var m in dead)
        {
            foreach (var e in events) Assert.False(Contains(Bytes(m), Encoding.UTF8.GetBytes(e.ClientIp)));
        }

        // Audited: created once, destroyed once, never with key material.
        var lines = logs.Lines.ToList();
        Assert.Single(lines, l => l.Contains("audit: created", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("audit: destroyed", StringComparison.Ordinal));
        foreach (var l in lines)
        {
            Assert.DoesNotContain(master, l, StringComparison.Ordinal);
            Assert.DoesNotContain(keyId[9..], l, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Two_producers_racing_for_the_same_day_end_up_using_one_key()
    {
        using var cluster = new KafkaMockCluster(1);
        var (o, master) = SetUp(cluster, "seal.race");
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var logs = new ListLogger<RawDataKeys>();
        using var a = Keys(o, master, time, "collector-a", logs);
        using var b = Keys(o, master, time, "collector-b", logs);
        using var c = Keys(o, master, time, "anonymizer", logs);
        var day = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        // Slow broker: both instances read "no key yet" before either proposal lands, so both propose.
        cluster.SetBrokerRtt(1, 150);

        var results = await Task.WhenAll(a.EnsureSealingKeyAsync(day, Ct).AsTask(), b.EnsureSealingKeyAsync(day, Ct).AsTask());

        Assert.All(results, Assert.True);
        Assert.True(a.TryGetSealingKey(day, out var idA, out var keyA));
        Assert.True(b.TryGetSealingKey(day, out var idB, out var keyB));
        Assert.Equal(idA, idB);
        Assert.Equal(keyA, keyB);
        cluster.SetBrokerRtt(1, 0);
        var records = ReadTopic(o.BootstrapServers, o.RawKeysTopic, 1);
        var proposals = records.Where(r => r.Value is not null).Select(r => Encoding.ASCII.GetString(r.Key!)).Distinct().ToList();
        Assert.Equal(2, proposals.Count); // the race really happened
        Assert.Equal(idA, Encoding.ASCII.GetString(records.First(r => r.Value is not null).Key!)); // earliest offset won
        var loser = Assert.Single(proposals, p => p != idA);
        Assert.Null(records.Last(r => Encoding.ASCII.GetString(r.Key!) == loser).Value); // the loser withdrew its proposal
        Assert.Single(logs.Lines, l => l.Contains("audit: created", StringComparison.Ordinal));

        // A third instance reading later opens what either sealed.
        var e = Harness.Events(1)[0];
        var sealedByB = new RawEventSerializer(new SealedIdentifyingFields(b));
        Assert.True(await sealedByB.PrepareAsync([e], Ct));
        var body = sealedByB.Serialize(e);
        Assert.Equal(RawReadResult.Ok, new RawEventSerializer(new SealedIdentifyingFields(c)).TryDeserialize(RawEventSerializer.SchemaV1Bytes, true, body, out var opened));
        Assert.Equal(e.ClientIp, opened!.ClientIp);
        Assert.Equal(e.UserAgent, opened.UserAgent);
    }

    [Fact]
    public async Task Without_a_reachable_keys_topic_the_collector_answers_unavailable_and_sends_nothing()
    {
        using var cluster = new KafkaMockCluster(1);
        var (o, master) = SetUp(cluster, "seal.down");
        o.RequestTimeoutMs = 1_000;
        o.MessageTimeoutMs = 2_000;
        var time = new ManualTime(DateTimeOffset.UtcNow);
        using var keys = Keys(o, master, time, "collector-1");
        using var transport = Transport(o, keys);
        cluster.SetAllBrokersDown();

        Assert.Equal(PublishStatus.Unavailable, await transport.PublishAsync(Harness.Events(5), Ct));
        Assert.Equal(PublishStatus.Unavailable, await transport.PublishAsync(Harness.Events(5), Ct)); // fails fast meanwhile

        cluster.SetAllBrokersUp();
        Assert.Empty(ReadTopic(o.BootstrapServers, o.RawTopic, o.RawPartitions));
        // Once the keys topic answers again, publishing works (sealed).
        await Harness.Eventually(async () => await transport.PublishAsync(Harness.Events(5), Ct) == PublishStatus.Accepted, TimeSpan.FromSeconds(30), "publishing after recovery", Ct);
    }

    [Fact]
    public async Task A_sealed_value_cannot_be_moved_to_another_event_or_field()
    {
        var o = Harness.Options(kafka.BootstrapServers, KafkaMockFixture.Unique("seal.bind"));
        o.RawKeysTopic = o.RawTopic + ".keys";
        kafka.Cluster.CreateTopic(o.RawKeysTopic, 1);
        using var keys = Keys(o, NewMaster(), new ManualTime(DateTimeOffset.UtcNow), "x");
        var protector = new SealedIdentifyingFields(keys);
        var e = Harness.Events(1)[0];
        Assert.True(await protector.PrepareAsync([e], Ct));
        var ctx = new IdentifyingFieldContext(e.Site, e.EventId, e.ReceivedAtMs, "ip");
        var sealedIp = protector.Protect(e.ClientIp, ctx);

        Assert.True(protector.TryOpen(SealedIdentifyingFields.SchemeV1, sealedIp, ctx, out var ip));
        Assert.Equal(e.ClientIp, ip);
        Assert.False(protector.TryOpen(SealedIdentifyingFields.SchemeV1, sealedIp, ctx with { Field = "ua" }, out _));
        Assert.False(protector.TryOpen(SealedIdentifyingFields.SchemeV1, sealedIp, ctx with { EventId = Guid.NewGuid() }, out _));
        Assert.False(protector.TryOpen("plain", e.ClientIp, ctx, out _)); // a sealed reader never accepts plaintext
    }

    [Fact]
    public async Task Sealing_is_on_by_default_and_start_up_without_a_master_key_fails_with_a_readable_message()
    {
        var raw = KafkaMockFixture.Unique("seal.di");
        var config = new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka:RawTopic"] = raw,
            ["Kafka:DeadLetterTopic"] = raw + ".dlq",
            ["Kafka:CutJournalTopic"] = raw + ".cuts",
            ["Kafka:RawKeysTopic"] = raw + ".keys",
        };
        using (var missing = Build(config))
        {
            var ex = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => missing.StartAsync(Ct));
            Assert.Contains("Privacy:MasterKey is required", ex.Message, StringComparison.Ordinal);
        }

        config["Privacy:MasterKey"] = NewMaster();
        using (var sealing = Build(config))
        {
            Assert.IsType<SealedIdentifyingFields>(sealing.Services.GetRequiredService<IIdentifyingFieldProtector>());
        }

        config["Kafka:SealIdentifyingFields"] = "false";
        config["Privacy:MasterKey"] = null;
        using var plain = Build(config);
        Assert.IsType<PlainIdentifyingFields>(plain.Services.GetRequiredService<IIdentifyingFieldProtector>());

        static IHost Build(Dictionary<string, string?> config)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(config);
            builder.Services.AddKafkaTransport();
            return builder.Build();
        }
    }

    // ---- helpers ----

    private static (KafkaTransportOptions Options, string Master) SetUp(KafkaMockCluster cluster, string name)
    {
        var o = Harness.Options(cluster.BootstrapServers, KafkaMockFixture.Unique(name));
        o.RawKeysTopic = o.RawTopic + ".keys";
        Harness.CreateTopics(cluster, o);
        cluster.CreateTopic(o.RawKeysTopic, 1);
        return (o, NewMaster());
    }

    private static string NewMaster() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static RawDataKeys Keys(KafkaTransportOptions o, string master, TimeProvider time, string instance, ILogger<RawDataKeys>? logger = null) =>
        new(MsOptions.Create(o), MsOptions.Create(new RawKeyPrivacyOptions { MasterKey = master, InstanceId = instance }), time,
            new KafkaTransportMetrics(Harness.Meters), logger ?? NullLogger<RawDataKeys>.Instance);

    private static KafkaEventTransport Transport(KafkaTransportOptions o, RawDataKeys keys) =>
        new(MsOptions.Create(o), new RawEventSerializer(new SealedIdentifyingFields(keys)), new KafkaTransportMetrics(Harness.Meters),
            NullLogger<KafkaEventTransport>.Instance);

    private static RawReadResult Read(RawEventSerializer serializer, Message<byte[]?, byte[]?> m, out CollectedEvent? e)
    {
        var has = m.Headers.TryGetLastBytes(RawEventSerializer.SchemaHeader, out var schema);
        return serializer.TryDeserialize(schema, has, m.Value, out e);
    }

    private static List<Message<byte[]?, byte[]?>> DeadLetters(KafkaTransportOptions o) => ReadTopic(o.BootstrapServers, o.DeadLetterTopic, 1);

    /// <summary>Everything in <paramref name="topic"/> up to its current end, as a plain client sees it.</summary>
    private static List<Message<byte[]?, byte[]?>> ReadTopic(string bootstrap, string topic, int partitions)
    {
        using var c = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "plain-" + Guid.NewGuid(), EnablePartitionEof = true }).Build();
        var list = new List<Message<byte[]?, byte[]?>>();
        for (var p = 0; p < partitions; p++)
        {
            var tp = new TopicPartition(topic, p);
            var high = c.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
            if (high == 0) continue;
            c.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline)
            {
                var r = c.Consume(TimeSpan.FromMilliseconds(200));
                if (r is null) continue;
                if (r.IsPartitionEOF) break;
                list.Add(r.Message);
            }
            c.Unassign();
        }
        return list;
    }

    private static byte[] Bytes(Message<byte[]?, byte[]?> m) =>
        [.. m.Key ?? [], .. m.Value ?? [], .. m.Headers.SelectMany(h => h.GetValueBytes())];

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Set(DateTimeOffset now) => _now = now;
    }

    private sealed class ListLogger<T> : ILogger<T>
    {
        public ConcurrentQueue<string> Lines { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Enqueue(formatter(state, exception));
    }
}
