using Analytics.TestUtilities.Kafka;
using Analytics.Transport.KafkaTransport;
using Confluent.Kafka;

namespace Analytics.Transport.Tests;

public sealed class ProducerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accepted_means_every_event_of_the_batch_is_in_the_topic()
    {
        using var cluster = new KafkaMockCluster();
        var o = Harness.Options(cluster.BootstrapServers, KafkaMockFixture.Unique("raw"));
        Harness.CreateTopics(cluster, o);
        using var transport = Harness.Transport(o);
        var events = Harness.Events(500);

        var status = await transport.PublishAsync(events, Ct);

        Assert.Equal(PublishStatus.Accepted, status);
        Assert.Equal(0, transport.InFlight);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = o.BootstrapServers }).Build();
        using var reader = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig { BootstrapServers = o.BootstrapServers, GroupId = "count" }).Build();
        long total = 0;
        for (var p = 0; p < o.RawPartitions; p++)
        {
            total += reader.QueryWatermarkOffsets(new TopicPartition(o.RawTopic, p), TimeSpan.FromSeconds(5)).High.Value;
        }
        Assert.Equal(events.Count, total);
    }

    [Fact]
    public async Task Waits_for_the_acknowledgement_while_brokers_are_down_then_answers_Accepted()
    {
        using var cluster = new KafkaMockCluster();
        var o = Harness.Options(cluster.BootstrapServers, KafkaMockFixture.Unique("raw"));
        Harness.CreateTopics(cluster, o);
        using var transport = Harness.Transport(o);
        Assert.Equal(PublishStatus.Accepted, await transport.PublishAsync(Harness.Events(10), Ct)); // connected, metadata known

        cluster.SetAllBrokersDown();
        var pending = transport.PublishAsync(Harness.Events(100), Ct).AsTask();
        // Nothing can acknowledge while the brokers are down; a short look is enough to see it is still waiting.
        Assert.NotSame(pending, await Task.WhenAny(pending, Task.Delay(500, Ct)));
        cluster.SetAllBrokersUp();

        Assert.Equal(PublishStatus.Accepted, await pending.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Answers_Unavailable_when_no_broker_acknowledges_within_the_message_timeout()
    {
        using var cluster = new KafkaMockCluster();
        var o = Harness.Options(cluster.BootstrapServers, KafkaMockFixture.Unique("raw"));
        o.MessageTimeoutMs = 1500;
        Harness.CreateTopics(cluster, o);
        cluster.SetAllBrokersDown();
        using var transport = Harness.Transport(o);

        var status = await transport.PublishAsync(Harness.Events(50), Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(PublishStatus.Unavailable, status);
        Assert.Equal(0, transport.InFlight);
    }

    [Fact]
    public async Task Answers_Full_without_producing_anything_when_too_much_is_in_flight()
    {
        using var cluster = new KafkaMockCluster();
        var o = Harness.Options(cluster.BootstrapServers, KafkaMockFixture.Unique("raw"));
        o.MaxInFlightMessages = 1000;
        Harness.CreateTopics(cluster, o);
        using var transport = Harness.Transport(o);
        cluster.SetAllBrokersDown();

        var first = transport.PublishAsync(Harness.Events(1000), Ct).AsTask();
        var second = await transport.PublishAsync(Harness.Events(1), Ct);

        Assert.Equal(PublishStatus.Full, second);
        Assert.Equal(1000, transport.InFlight);
        cluster.SetAllBrokersUp();
        Assert.Equal(PublishStatus.Accepted, await first.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Concurrent_batches_do_not_queue_behind_one_another()
    {
        using var cluster = new KafkaMockCluster();
        var o = Harness.Options(cluster.BootstrapServers, KafkaMockFixture.Unique("raw"));
        Harness.CreateTopics(cluster, o);
        using var transport = Harness.Transport(o);
        await transport.PublishAsync(Harness.Events(10), Ct);
        for (var b = 1; b <= cluster.Brokers; b++) cluster.SetBrokerRtt(b, 200);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var batches = Enumerable.Range(0, 20).Select(i => transport.PublishAsync(Harness.Events(20, seed: i), Ct).AsTask()).ToArray();
        var results = await Task.WhenAll(batches);

        Assert.All(results, r => Assert.Equal(PublishStatus.Accepted, r));
        // 20 batches one after another would take ≥ 20 × 200 ms; shared in-flight requests take a few round trips.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"took {started.Elapsed}");
    }
}
