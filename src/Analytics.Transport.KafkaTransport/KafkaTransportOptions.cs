using System.ComponentModel.DataAnnotations;

namespace Analytics.Transport.KafkaTransport;

/// <summary>Kafka transport settings (section <c>Kafka</c>). See docs/kafka.md for why each default is what it is.</summary>
public sealed class KafkaTransportOptions
{
    public const string Section = "Kafka";

    /// <summary>Comma-separated <c>host:port</c> list of brokers.</summary>
    [Required(ErrorMessage = "Kafka:BootstrapServers is required (e.g. kafka-1:9092,kafka-2:9092).")]
    [MinLength(3, ErrorMessage = "Kafka:BootstrapServers must name at least one host:port.")]
    public string BootstrapServers { get; set; } = "";

    /// <summary>The raw (identifying) event topic.</summary>
    [Required, RegularExpression(TopicPattern, ErrorMessage = "Kafka:RawTopic must be 1-249 characters of [A-Za-z0-9._-].")]
    public string RawTopic { get; set; } = "analytics.raw.v1";

    /// <summary>Dead-letter topic: poison messages' metadata only, never their payload.</summary>
    [Required, RegularExpression(TopicPattern, ErrorMessage = "Kafka:DeadLetterTopic must be 1-249 characters of [A-Za-z0-9._-].")]
    public string DeadLetterTopic { get; set; } = "analytics.dlq.v1";

    /// <summary>
    /// Cut journal: where the anonymizer records each batch's offset range before writing it, so a replay cuts the
    /// same batch (same deduplication token). Needs at least as many partitions as <see cref="RawTopic"/>.
    /// </summary>
    [Required, RegularExpression(TopicPattern, ErrorMessage = "Kafka:CutJournalTopic must be 1-249 characters of [A-Za-z0-9._-].")]
    public string CutJournalTopic { get; set; } = "analytics.cuts.v1";

    /// <summary>Consumer group of the anonymizers.</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9._-]{1,200}$", ErrorMessage = "Kafka:GroupId must be 1-200 characters of [A-Za-z0-9._-].")]
    public string GroupId { get; set; } = "analytics-anonymizer";

    /// <summary>
    /// Part of every deduplication token. Bump it when the raw topic is deleted and re-created (offsets restart at 0,
    /// and old tokens would make the store drop new batches).
    /// </summary>
    [Range(1, 1_000_000)]
    public int TopicEpoch { get; set; } = 1;

    /// <summary>
    /// Compacted topic of the daily raw-data keys (sealed under <c>Privacy:MasterKey</c>), shared by collectors and
    /// anonymizers. One partition is used (partition 0): "earliest offset wins" needs one order.
    /// </summary>
    [Required, RegularExpression(TopicPattern, ErrorMessage = "Kafka:RawKeysTopic must be 1-249 characters of [A-Za-z0-9._-].")]
    public string RawKeysTopic { get; set; } = "analytics.rawkeys.v1";

    /// <summary>
    /// Seal the identifying fields (IP, User-Agent) with AES-256-GCM under the day's raw-data key before they leave
    /// the collector (scheme <c>aes-gcm.v1</c>). On by default; needs <c>Privacy:MasterKey</c>. Off only for a topic
    /// that is itself encrypted and access-controlled end to end (then they travel as they are).
    /// </summary>
    public bool SealIdentifyingFields { get; set; } = true;

    /// <summary>
    /// A day's raw-data key is destroyed this long after <see cref="RawRetention"/> has passed since the day ended
    /// (UTC), so events near the end of the retention window can still be read by a lagging anonymizer.
    /// </summary>
    public TimeSpan RawKeyDestroyMargin { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often an instance destroys expired raw-data keys (memory and keys topic).</summary>
    public TimeSpan RawKeyMaintenanceInterval { get; set; } = TimeSpan.FromMinutes(1);

    // ---- producer (collector side) ----

    /// <summary>How long the producer waits to fill a batch (librdkafka <c>linger.ms</c>).</summary>
    [Range(0, 1000)]
    public int LingerMs { get; set; } = 5;

    /// <summary>Largest producer batch per partition in bytes (<c>batch.size</c>).</summary>
    [Range(16 * 1024, 16 * 1024 * 1024)]
    public int BatchSizeBytes { get; set; } = 1024 * 1024;

    /// <summary><c>lz4</c> or <c>zstd</c>.</summary>
    [RegularExpression("^(lz4|zstd)$", ErrorMessage = "Kafka:Compression must be lz4 or zstd.")]
    public string Compression { get; set; } = "lz4";

    /// <summary>
    /// How long a message may wait for its acknowledgement, retries included (<c>message.timeout.ms</c>). The collector
    /// answers 503 after it; keep it below the beacon's patience.
    /// </summary>
    [Range(1000, 300_000)]
    public int MessageTimeoutMs { get; set; } = 30_000;

    /// <summary>Messages produced but not yet acknowledged before <c>PublishAsync</c> answers <c>Full</c>.</summary>
    [Range(1000, 10_000_000)]
    public int MaxInFlightMessages { get; set; } = 200_000;

    // ---- consumer (anonymizer side) ----

    /// <summary>Group session timeout; a crashed anonymizer's partitions move after this.</summary>
    [Range(1000, 300_000)]
    public int SessionTimeoutMs { get; set; } = 10_000;

    /// <summary>Longest time between two reads before the group considers the consumer stuck (<c>max.poll.interval.ms</c>).</summary>
    [Range(10_000, 3_600_000)]
    public int MaxPollIntervalMs { get; set; } = 300_000;

    /// <summary>Timeout of journal look-ups and broker metadata calls.</summary>
    [Range(500, 120_000)]
    public int RequestTimeoutMs { get; set; } = 10_000;

    // ---- topics (initializer) ----

    [Range(1, 10_000)]
    public int RawPartitions { get; set; } = 12;

    [Range(1, 10)]
    public short ReplicationFactor { get; set; } = 3;

    /// <summary>How long raw (identifying) events stay in Kafka. Privacy: keep it short.</summary>
    public TimeSpan RawRetention { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Extra librdkafka settings for every client (e.g. <c>security.protocol</c>, <c>sasl.*</c>).</summary>
    public Dictionary<string, string> Client { get; set; } = [];

    internal const string TopicPattern = "^[A-Za-z0-9._-]{1,249}$";
}
