using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Analytics.Transport.KafkaTransport;

/// <summary>Readiness: the brokers answer a metadata request and the raw topic exists with all its partitions led.</summary>
public sealed class KafkaHealthCheck : IHealthCheck, IDisposable
{
    private readonly KafkaTransportOptions _options;
    private readonly Lazy<IAdminClient> _admin;

    public KafkaHealthCheck(IOptions<KafkaTransportOptions> options)
    {
        _options = options.Value;
        _admin = new Lazy<IAdminClient>(() => new AdminClientBuilder(KafkaClientConfigs.Admin(_options)).SetLogHandler((_, _) => { }).Build());
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var metadata = _admin.Value.GetMetadata(_options.RawTopic, TimeSpan.FromSeconds(3));
            var topic = metadata.Topics.FirstOrDefault(t => t.Topic == _options.RawTopic);
            if (metadata.Brokers.Count == 0) return Task.FromResult(HealthCheckResult.Unhealthy("No Kafka broker reachable."));
            if (topic is null || topic.Error.IsError)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"Topic {_options.RawTopic} unavailable: {topic?.Error.Code.ToString() ?? "missing"}."));
            }
            var leaderless = topic.Partitions.Count(p => p.Leader < 0 || p.Error.IsError);
            var data = new Dictionary<string, object> { ["brokers"] = metadata.Brokers.Count, ["partitions"] = topic.Partitions.Count };
            return Task.FromResult(leaderless == 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} brokers, {topic.Partitions.Count} partitions.", data)
                : HealthCheckResult.Degraded($"{leaderless} of {topic.Partitions.Count} partitions without a leader.", data: data));
        }
        catch (KafkaException ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"Kafka unreachable: {ex.Error.Code}."));
        }
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated) _admin.Value.Dispose();
    }
}
