using Analytics.TestUtilities;
using Analytics.TestUtilities.Kafka;
using Analytics.Transport.KafkaTransport;
using DotNet.Testcontainers.Builders;
using Microsoft.Extensions.Logging.Abstractions;
using Testcontainers.Kafka;

namespace Analytics.Transport.Tests;

/// <summary>The end-to-end test against a real broker: a pinned Testcontainers image, or <c>KAFKA_BOOTSTRAP</c>.</summary>
public sealed class RealBrokerTests(ChDbFixture engine)
{
    public const string Image = "confluentinc/cp-kafka:7.6.1";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task End_to_end_through_a_Kafka_container()
    {
        KafkaContainer? kafka = null;
        try
        {
            kafka = new KafkaBuilder(Image).Build();
            await kafka.StartAsync(Ct);
        }
        catch (DockerUnavailableException ex)
        {
            Assert.Skip($"Docker is not available here ({ex.Message.Split('\n')[0]}); this test runs where a Docker engine is.");
        }
        await using (kafka!) await RunAsync(kafka.GetBootstrapAddress());
    }

    [Fact]
    public async Task End_to_end_through_the_broker_in_KAFKA_BOOTSTRAP()
    {
        var bootstrap = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP");
        Assert.SkipWhen(string.IsNullOrWhiteSpace(bootstrap), "KAFKA_BOOTSTRAP is not set; set it to host:port of a test broker to run this test.");
        await RunAsync(bootstrap!);
    }

    private async Task RunAsync(string bootstrap)
    {
        var o = Harness.Options(bootstrap, KafkaMockFixture.Unique($"analytics.test.{Guid.NewGuid():N}"));
        o.ReplicationFactor = 1;
        o.RawPartitions = 3;
        await new KafkaTopicsInitializer(Microsoft.Extensions.Options.Options.Create(o), NullLogger<KafkaTopicsInitializer>.Instance).EnsureTopicsAsync(Ct);
        await using var store = new FlakyStore(await engine.CreateStoreAsync("real", Ct));
        using var transport = Harness.Transport(o);
        using var source = Harness.Source(o);
        using var host = Harness.AnonymizerHost(source, store);
        await host.StartAsync(Ct);
        var events = Harness.Events(5_000);

        Assert.Equal(0, await Harness.PublishAllAsync(transport, events, Ct));

        await Harness.AssertExactAsync(store, events, o, TimeSpan.FromMinutes(2), Ct);
        await host.StopAsync(Ct);
    }
}
