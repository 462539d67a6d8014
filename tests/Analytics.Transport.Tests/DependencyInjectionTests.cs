using Analytics.TestUtilities.Kafka;
using Analytics.Transport.KafkaTransport;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Analytics.Transport.Tests;

public sealed class DependencyInjectionTests(KafkaMockFixture kafka)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IHost Build(Dictionary<string, string?> config, bool topics = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddKafkaTransport();
        if (topics) builder.Services.AddKafkaTopicsInitializer();
        return builder.Build();
    }

    [Fact]
    public async Task A_wrong_setting_stops_start_up_with_a_readable_message()
    {
        using var host = Build(new() { ["Kafka:BootstrapServers"] = "", ["Kafka:Compression"] = "gzip", ["Kafka:RawRetention"] = "30.00:00:00" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("Kafka:BootstrapServers is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Kafka:Compression must be lz4 or zstd", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registers_both_ends_and_reports_readiness()
    {
        var raw = KafkaMockFixture.Unique("di.raw");
        using var host = Build(new()
        {
            ["Kafka:BootstrapServers"] = kafka.BootstrapServers,
            ["Kafka:RawTopic"] = raw,
            ["Kafka:DeadLetterTopic"] = raw + ".dlq",
            ["Kafka:CutJournalTopic"] = raw + ".cuts",
            ["Kafka:RawKeysTopic"] = raw + ".keys",
            ["Privacy:MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Kafka:RawPartitions"] = "4",
        }, topics: false); // the mock cluster has no CreateTopics API: the initializer runs in RealBrokerTests
        kafka.Cluster.CreateTopic(raw, 4);
        await host.StartAsync(Ct);

        Assert.IsType<KafkaEventTransport>(host.Services.GetRequiredService<IEventTransport>());
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"), Ct);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(5));
        Assert.Equal(4, metadata.Topics.Single(t => t.Topic == raw).Partitions.Count);
        await host.StopAsync(Ct);
    }

    [Fact]
    public async Task Readiness_is_unhealthy_when_no_broker_answers()
    {
        using var cluster = new KafkaMockCluster(1);
        var check = new KafkaHealthCheck(Options.Create(Harness.Options(cluster.BootstrapServers, "absent")));
        cluster.SetAllBrokersDown();

        var result = await check.CheckHealthAsync(new HealthCheckContext(), Ct);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        check.Dispose();
    }
}
