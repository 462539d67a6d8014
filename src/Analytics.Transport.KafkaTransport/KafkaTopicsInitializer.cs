using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Transport.KafkaTransport;

/// <summary>
/// Creates the raw, dead-letter and cut-journal topics if missing (partitions, replication, retention), and grows the
/// journal to the raw topic's partition count. Existing topics are never shrunk or reconfigured.
/// </summary>
public sealed partial class KafkaTopicsInitializer(IOptions<KafkaTransportOptions> options, ILogger<KafkaTopicsInitializer> logger) : IHostedService
{
    private readonly KafkaTransportOptions _options = options.Value;

    public Task StartAsync(CancellationToken cancellationToken) => EnsureTopicsAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Creates what is missing; safe to call from several processes at once.</summary>
    public async Task EnsureTopicsAsync(CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(_options)).SetLogHandler((_, _) => { }).Build();
        var ms = static (TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var specs = new[]
        {
            new TopicSpecification
            {
                Name = _options.RawTopic, NumPartitions = _options.RawPartitions, ReplicationFactor = _options.ReplicationFactor,
                Configs = new() { ["retention.ms"] = ms(_options.RawRetention), ["min.insync.replicas"] = MinIsr(), ["compression.type"] = "producer" },
            },
            new TopicSpecification
            {
                Name = _options.DeadLetterTopic, NumPartitions = 1, ReplicationFactor = _options.ReplicationFactor,
                Configs = new() { ["retention.ms"] = ms(_options.DeadLetterRetention), ["min.insync.replicas"] = MinIsr() },
            },
            new TopicSpecification
            {
                // Compacted: only the last cut per (group, partition) key matters.
                Name = _options.CutJournalTopic, NumPartitions = _options.RawPartitions, ReplicationFactor = _options.ReplicationFactor,
                Configs = new() { ["cleanup.policy"] = "compact", ["min.insync.replicas"] = MinIsr() },
            },
            new TopicSpecification
            {
                // Raw-data keys (sealed under the master key): one partition ("earliest offset wins" needs one order);
                // compacted so a destroyed day's tombstone removes its sealed key soon, and deleted by time as a hard
                // bound (a key lives at most 1 day + raw retention + margin; retention is 2 days beyond that).
                Name = _options.RawKeysTopic, NumPartitions = 1, ReplicationFactor = _options.ReplicationFactor,
                Configs = new()
                {
                    ["cleanup.policy"] = "compact,delete",
                    ["retention.ms"] = ms(TimeSpan.FromDays(3) + _options.RawRetention + _options.RawKeyDestroyMargin),
                    ["segment.ms"] = ms(TimeSpan.FromMinutes(10)),
                    ["min.compaction.lag.ms"] = "0",
                    ["max.compaction.lag.ms"] = ms(TimeSpan.FromHours(1)),
                    ["min.cleanable.dirty.ratio"] = "0.01",
                    ["delete.retention.ms"] = ms(TimeSpan.FromHours(1)),
                    ["min.insync.replicas"] = MinIsr(),
                },
            },
        };
        try
        {
            await admin.CreateTopicsAsync(specs, new CreateTopicsOptions { RequestTimeout = TimeSpan.FromMilliseconds(_options.RequestTimeoutMs) });
        }
        catch (CreateTopicsException ex)
        {
            var real = ex.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists).ToList();
            if (real.Count > 0)
            {
                throw new InvalidOperationException(
                    "Creating Kafka topics failed: " + string.Join("; ", real.Select(r => $"{r.Topic}: {r.Error.Code}")), ex);
            }
        }
        cancellationToken.ThrowIfCancellationRequested();

        var metadata = admin.GetMetadata(TimeSpan.FromMilliseconds(_options.RequestTimeoutMs));
        var raw = metadata.Topics.FirstOrDefault(t => t.Topic == _options.RawTopic)?.Partitions.Count ?? 0;
        var journal = metadata.Topics.FirstOrDefault(t => t.Topic == _options.CutJournalTopic)?.Partitions.Count ?? 0;
        if (journal < raw)
        {
            Log.GrowingJournal(logger, _options.CutJournalTopic, journal, raw);
            await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = _options.CutJournalTopic, IncreaseTo = raw }]);
        }
        Log.Ready(logger, _options.RawTopic, raw);
    }

    private string MinIsr() => Math.Max(1, _options.ReplicationFactor - 1).ToString(CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Cut journal {Topic} has {Have} partitions, raw topic {Need}: growing it")]
        public static partial void GrowingJournal(ILogger logger, string topic, int have, int need);

        [LoggerMessage(2, LogLevel.Information, "Kafka topics ready ({Topic}: {Partitions} partitions)")]
        public static partial void Ready(ILogger logger, string topic, int partitions);
    }
}
