using Confluent.Kafka;

namespace Analytics.Transport.KafkaTransport;

/// <summary>The librdkafka settings of every client this transport creates, in one place (see docs/kafka.md).</summary>
internal static class KafkaClientConfigs
{
    public static ProducerConfig Producer(KafkaTransportOptions o, int? lingerMs = null)
    {
        var c = new ProducerConfig(new Dictionary<string, string>(o.Client))
        {
            BootstrapServers = o.BootstrapServers,
            // Exactly-once delivery into the log per producer session: retries never duplicate or reorder.
            EnableIdempotence = true,
            Acks = Acks.All,
            MaxInFlight = 5,
            CompressionType = o.Compression == "zstd" ? CompressionType.Zstd : CompressionType.Lz4,
            LingerMs = lingerMs ?? o.LingerMs,
            BatchSize = o.BatchSizeBytes,
            MessageTimeoutMs = o.MessageTimeoutMs,
            // Same partitioning as the Java clients, so a key lands on the same partition whoever produces it.
            Partitioner = Partitioner.Murmur2Random,
            QueueBufferingMaxMessages = Math.Max(o.MaxInFlightMessages * 2, 100_000),
            QueueBufferingMaxKbytes = 1024 * 1024,
        };
        return c;
    }

    public static ConsumerConfig Consumer(KafkaTransportOptions o, string groupId) => new(new Dictionary<string, string>(o.Client))
    {
        BootstrapServers = o.BootstrapServers,
        GroupId = groupId,
        // Offsets are committed by us, synchronously, only after the batch is in the store (AcknowledgeAsync).
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        SessionTimeoutMs = o.SessionTimeoutMs,
        MaxPollIntervalMs = o.MaxPollIntervalMs,
        EnablePartitionEof = false,
        PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
    };

    public static AdminClientConfig Admin(KafkaTransportOptions o) => new(new Dictionary<string, string>(o.Client))
    {
        BootstrapServers = o.BootstrapServers,
    };
}
