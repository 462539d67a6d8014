using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace Analytics.Transport.KafkaTransport;

/// <summary>
/// Records each batch's offset range before the batch is written, so whoever replays the partition later cuts the
/// same batch and the store drops the replay by its token. Journal partition p holds the cuts of raw partition p,
/// in order; because a partition's next batch is cut only after the previous one is committed, the last record of
/// journal partition p is the only cut that can have been written but not committed.
/// </summary>
internal sealed class CutJournal : IDisposable
{
    private readonly IProducer<byte[]?, byte[]> _producer;
    private IConsumer<Ignore, byte[]> _reader;
    private readonly ConsumerConfig _readerConfig;
    private readonly string _topic;
    private readonly string _groupId;
    private readonly TimeSpan _timeout;
    private readonly Lock _readerGate = new();

    public CutJournal(KafkaTransportOptions options, IProducer<byte[]?, byte[]> producer)
    {
        _producer = producer;
        _topic = options.CutJournalTopic;
        _groupId = options.GroupId;
        _timeout = TimeSpan.FromMilliseconds(options.RequestTimeoutMs);
        _readerConfig = KafkaClientConfigs.Consumer(options, options.GroupId + ".journal-reader");
        _reader = NewReader();
    }

    public async Task RecordAsync(int partition, long start, long end, CancellationToken cancellationToken)
    {
        var value = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{_groupId}|{start}|{end}"));
        var key = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{_groupId}|{partition}"));
        await _producer.ProduceAsync(new TopicPartition(_topic, new Partition(partition)), new Message<byte[]?, byte[]> { Key = key, Value = value }, cancellationToken);
    }

    /// <summary>The last cut recorded for <paramref name="partition"/> by this group, or null.</summary>
    public (long Start, long End)? Last(int partition)
    {
        lock (_readerGate)
        {
            var tp = new TopicPartition(_topic, new Partition(partition));
            WatermarkOffsets marks;
            try
            {
                marks = _reader.QueryWatermarkOffsets(tp, _timeout);
            }
            catch (KafkaException)
            {
                // The reader never subscribes, so librdkafka does not refresh its view of the journal topic; a
                // metadata answer cached while a broker was down would fail every later look-up. Start afresh.
                _reader.Dispose();
                _reader = NewReader();
                throw;
            }
            if (marks.High.Value <= marks.Low.Value) return null;
            _reader.Assign(new TopicPartitionOffset(tp, new Offset(marks.High.Value - 1)));
            try
            {
                var deadline = DateTime.UtcNow + _timeout;
                while (DateTime.UtcNow < deadline)
                {
                    var r = _reader.Consume(TimeSpan.FromMilliseconds(200));
                    if (r?.Message?.Value is null) continue;
                    return Parse(r.Message.Value);
                }
                throw new TimeoutException($"Reading the cut journal {_topic}/{partition} timed out.");
            }
            finally
            {
                _reader.Unassign();
            }
        }
    }

    private IConsumer<Ignore, byte[]> NewReader() => new ConsumerBuilder<Ignore, byte[]>(_readerConfig).SetLogHandler((_, _) => { }).Build();

    private (long, long)? Parse(byte[] value)
    {
        var parts = Encoding.ASCII.GetString(value).Split('|');
        if (parts.Length != 3 || parts[0] != _groupId) return null;
        return (long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        _reader.Close();
        _reader.Dispose();
    }
}
