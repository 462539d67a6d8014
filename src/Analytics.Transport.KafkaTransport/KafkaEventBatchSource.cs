using System.Globalization;
using System.Text;
using Analytics.Contracts;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Transport.KafkaTransport;

/// <summary>Where a Kafka batch sits in the raw topic: one partition, offsets <see cref="Start"/>..<see cref="End"/>.</summary>
public sealed record KafkaBatchPosition(string Topic, int Partition, long Start, long End)
{
    internal object? Owner { get; init; }
}

/// <summary>
/// Anonymizer side of the Kafka transport. Batches are per partition and cut by size or time; each cut is journaled
/// before the batch is handed out, and the deduplication token names the range (<c>topic.eN:partition:start-end</c>).
/// Offsets are committed synchronously in <see cref="AcknowledgeAsync"/>, after the store holds the batch. After a
/// restart or rebalance the first batch of a partition is re-cut exactly as journaled, so a batch written but not
/// committed is replayed with the same token and dropped by the store. See docs/kafka.md, "Batches and tokens".
/// </summary>
public sealed partial class KafkaEventBatchSource : IEventBatchSource, IDisposable
{
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LagEvery = TimeSpan.FromSeconds(1);

    private readonly KafkaTransportOptions _options;
    private readonly RawEventSerializer _serializer;
    private readonly KafkaTransportMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<KafkaEventBatchSource> _logger;
    private readonly IConsumer<Ignore, byte[]> _consumer;
    private readonly IProducer<byte[]?, byte[]> _control;
    private readonly CutJournal _journal;
    // Touched by the reading thread and by rebalance callbacks, which librdkafka runs inside Consume/Close on that thread.
    private readonly Dictionary<int, PartitionState> _partitions = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposing = new();
    private long _lastLagAt;
    private bool _disposed;

    public KafkaEventBatchSource(
        IOptions<KafkaTransportOptions> options, RawEventSerializer serializer, KafkaTransportMetrics metrics, TimeProvider time,
        ILogger<KafkaEventBatchSource> logger)
    {
        _options = options.Value;
        _serializer = serializer;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _control = new ProducerBuilder<byte[]?, byte[]>(KafkaClientConfigs.Producer(_options, lingerMs: 0))
            .SetLogHandler((_, _) => { })
            .Build();
        _journal = new CutJournal(_options, _control);
        _consumer = new ConsumerBuilder<Ignore, byte[]>(KafkaClientConfigs.Consumer(_options, _options.GroupId))
            .SetPartitionsAssignedHandler((_, assigned) =>
            {
                foreach (var tp in assigned) _partitions[tp.Partition.Value] = new PartitionState();
                Log.Assigned(_logger, assigned.Count, string.Join(',', assigned.Select(tp => tp.Partition.Value)));
            })
            .SetPartitionsRevokedHandler((_, revoked) => Drop(revoked.Select(tp => tp.Partition.Value), "revoked"))
            .SetPartitionsLostHandler((_, lost) => Drop(lost.Select(tp => tp.Partition.Value), "lost"))
            .SetErrorHandler((_, e) => Log.ConsumerError(_logger, e.Code, e.Reason))
            .SetLogHandler((_, m) => Log.Librdkafka(_logger, m.Facility, m.Message))
            .Build();
        _consumer.Subscribe(_options.RawTopic);
    }

    /// <summary>Messages in the owned partitions not yet committed (as last observed).</summary>
    public long Lag => _metrics.ConsumerLag;

    /// <summary>Partitions this consumer owns now.</summary>
    public IReadOnlyList<int> OwnedPartitions
    {
        get
        {
            lock (_gate) return _consumer.Assignment.Select(tp => tp.Partition.Value).ToArray();
        }
    }

    /// <inheritdoc />
    public async ValueTask<EventBatch> ReadBatchAsync(int maxEvents, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEvents, 1);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var ct = linked.Token;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var (ready, nextDeadline) = FindReady(maxEvents, maxWait);
            if (ready is not null)
            {
                var batch = await CutAsync(ready.Value.Partition, ready.Value.State, maxEvents, ct);
                if (batch is not null) return batch;
                continue;
            }

            var wait = nextDeadline is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, 0, PollSlice.Ticks)) : PollSlice;
            ConsumeResult<Ignore, byte[]>? result;
            try
            {
                lock (_gate)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    result = _consumer.Consume(wait);
                }
            }
            catch (ConsumeException ex)
            {
                Log.ConsumeFailed(_logger, ex.Error.Code, ex.Error.Reason);
                continue;
            }
            MaybeUpdateLag();
            if (result?.Message is null || result.IsPartitionEOF) continue;
            await AddAsync(result, ct);
        }
    }

    /// <inheritdoc />
    public async ValueTask AcknowledgeAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Position is not KafkaBatchPosition position) throw new ArgumentException("Not a batch of this source.", nameof(batch));
        await CommitAsync(position, cancellationToken);
    }

    private (( int Partition, PartitionState State)? Ready, TimeSpan? NextDeadline) FindReady(int maxEvents, TimeSpan maxWait)
    {
        TimeSpan? next = null;
        foreach (var (partition, state) in _partitions)
        {
            if (state.Outstanding || state.Messages.Count == 0) continue;
            if (state.PinnedEnd is { } end)
            {
                // A replayed cut waits for all of its messages (they are in the log) and ignores size and time.
                if (state.Messages[^1].Offset >= end) return ((partition, state), null);
                continue;
            }
            if (state.Messages.Count >= maxEvents) return ((partition, state), null);
            var left = maxWait - _time.GetElapsedTime(state.Messages[0].ArrivedAt);
            if (left <= TimeSpan.Zero) return ((partition, state), null);
            if (next is null || left < next) next = left;
        }
        return (null, next);
    }

    private async Task AddAsync(ConsumeResult<Ignore, byte[]> result, CancellationToken ct)
    {
        var partition = result.Partition.Value;
        var offset = result.Offset.Value;
        if (!_partitions.TryGetValue(partition, out var state)) return; // not ours (any more): the owner reads it
        try
        {
            if (state.ResumeAt is { } expected && offset != expected && state.Messages.Count == 0)
            {
                return; // fetched before the seek: the partition is being re-read from `expected`
            }
            if (!state.Resolved)
            {
                // The first message after an assignment is where the previous owner stopped committing; if the journal
                // says a batch was cut from exactly there, it may be in the store already: cut it again, same range.
                var last = await RetryAsync(() => Task.FromResult(_journal.Last(partition)), "journal-read", ct);
                if (last is { } cut && cut.Start == offset)
                {
                    state.PinnedEnd = cut.End;
                    _metrics.ReplayedCut();
                    Log.ReplayingCut(_logger, partition, cut.Start, cut.End);
                }
                state.Resolved = true;
                state.Committed ??= offset;
            }
            if (state.Messages.Count > 0 && offset <= state.Messages[^1].Offset) return; // re-delivered after a seek

            CollectedEvent? e = null;
            var hasSchema = result.Message.Headers.TryGetLastBytes(RawEventSerializer.SchemaHeader, out var schema);
            var body = result.Message.Value ?? [];
            // Opening sealed fields may need the keys topic (a day's key not seen yet); if it cannot be read now, retry
            // rather than dead-letter a message that is fine.
            var read = await RetryAsync(() => Task.FromResult(_serializer.TryDeserialize(schema, hasSchema, body, out e)), "raw-keys", ct);
            if (read != RawReadResult.Ok)
            {
                var dead = DeadLetter.Build(read, result.Topic, partition, offset, body.Length,
                    hasSchema ? Encoding.ASCII.GetString(schema) : null, result.Message.Timestamp.UtcDateTime);
                await RetryAsync(async () => await _control.ProduceAsync(_options.DeadLetterTopic, dead, ct), "dead-letter", ct);
                _metrics.DeadLettered(read);
                Log.DeadLettered(_logger, partition, offset, DeadLetter.ReasonText(read));
                e = null;
            }
            state.Messages.Add((offset, e, _time.GetTimestamp()));
        }
        catch
        {
            // Whatever failed, the message must not be skipped: read the partition again from here.
            Resync(partition, offset);
            throw;
        }
    }

    private async Task<EventBatch?> CutAsync(int partition, PartitionState state, int maxEvents, CancellationToken ct)
    {
        var pinned = state.PinnedEnd;
        var take = pinned is { } end ? state.Messages.TakeWhile(m => m.Offset <= end).Count() : Math.Min(state.Messages.Count, maxEvents);
        var slice = state.Messages.GetRange(0, take);
        var start = slice[0].Offset;
        var last = slice[^1].Offset;
        if (pinned is null)
        {
            try
            {
                await RetryAsync(async () => { await _journal.RecordAsync(partition, start, last, ct); return true; }, "journal-write", ct);
            }
            catch
            {
                Resync(partition, start);
                throw;
            }
        }
        state.Messages.RemoveRange(0, take);
        state.PinnedEnd = null;

        var position = new KafkaBatchPosition(_options.RawTopic, partition, start, last) { Owner = state };
        var events = new List<CollectedEvent>(take);
        foreach (var m in slice)
        {
            if (m.Event is not null) events.Add(m.Event);
        }
        if (events.Count == 0)
        {
            // Only dead letters: nothing to store, move the offsets on.
            state.Outstanding = true;
            await CommitAsync(position, ct);
            return null;
        }
        state.Outstanding = true;
        return new EventBatch(events, Token(partition, start, last), position);
    }

    /// <summary>The deduplication token of a range: depends on topic, epoch, partition and offsets only.</summary>
    public string Token(int partition, long start, long end) =>
        string.Create(CultureInfo.InvariantCulture, $"{_options.RawTopic}.e{_options.TopicEpoch}:{partition}:{start}-{end}");

    private async Task CommitAsync(KafkaBatchPosition position, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposing.Token);
        while (true)
        {
            if (!_partitions.TryGetValue(position.Partition, out var state) || !ReferenceEquals(state, position.Owner))
            {
                // Revoked since the batch was cut: the new owner replays it from the journal; the store drops the copy.
                Log.CommitSkipped(_logger, position.Partition, position.Start, position.End);
                return;
            }
            try
            {
                lock (_gate)
                {
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    _consumer.Commit([new TopicPartitionOffset(position.Topic, position.Partition, position.End + 1)]);
                }
                state.Outstanding = false;
                state.Committed = position.End + 1;
                return;
            }
            catch (KafkaException ex)
            {
                _metrics.CommitFailed();
                Log.CommitFailed(_logger, position.Partition, position.End + 1, ex.Error.Code);
                if (ex.Error.Code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId
                    or ErrorCode.Local_AssignmentLost or ErrorCode.Local_State or ErrorCode.FencedInstanceId)
                {
                    // The group is moving: read the range again (same journaled cut), the store drops the repeat.
                    Resync(position.Partition, position.Start);
                    return;
                }
            }
            try
            {
                await Task.Delay(delay, _time, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return; // stopping: the batch stays uncommitted and is replayed (same token) by the next owner
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    private void Resync(int partition, long offset)
    {
        if (!_partitions.ContainsKey(partition)) return;
        _partitions[partition] = new PartitionState { ResumeAt = offset };
        try
        {
            lock (_gate)
            {
                if (!_disposed) _consumer.Seek(new TopicPartitionOffset(_options.RawTopic, partition, offset));
            }
        }
        catch (KafkaException ex)
        {
            // Not assigned any more: the next owner starts from the committed offset anyway.
            Log.SeekFailed(_logger, partition, ex.Error.Code);
            _partitions.Remove(partition);
        }
    }

    private void Drop(IEnumerable<int> partitions, string why)
    {
        var list = partitions.ToList();
        var dropped = 0;
        foreach (var p in list)
        {
            if (_partitions.Remove(p, out var state)) dropped += state.Messages.Count;
            _metrics.ForgetLag(p);
        }
        Log.Dropped(_logger, why, string.Join(',', list), dropped);
    }

    private void MaybeUpdateLag()
    {
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(_lastLagAt, now) < LagEvery) return;
        _lastLagAt = now;
        foreach (var (partition, state) in _partitions)
        {
            if (state.Committed is not { } committed) continue;
            var marks = _consumer.GetWatermarkOffsets(new TopicPartition(_options.RawTopic, partition));
            if (marks.High.IsSpecial) continue;
            _metrics.SetLag(partition, marks.High.Value - committed);
        }
    }

    private async Task<T> RetryAsync<T>(Func<Task<T>> action, string what, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception ex) when (ex is KafkaException or TimeoutException && !ct.IsCancellationRequested)
            {
                Log.Retrying(_logger, what, ex.GetType().Name, ex is KafkaException k ? k.Error.Code : ErrorCode.Local_TimedOut);
            }
            await Task.Delay(delay, _time, ct);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    /// <summary>Leaves the group at once (<c>Close</c>), so the partitions move without waiting for the session timeout.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposing.Cancel();
        lock (_gate)
        {
            _disposed = true;
            try
            {
                _consumer.Close();
            }
            catch (KafkaException ex)
            {
                Log.ConsumerError(_logger, ex.Error.Code, "close");
            }
            _consumer.Dispose();
        }
        _journal.Dispose();
        _control.Flush(TimeSpan.FromSeconds(5));
        _control.Dispose();
        _disposing.Dispose();
    }

    private sealed class PartitionState
    {
        public List<(long Offset, CollectedEvent? Event, long ArrivedAt)> Messages { get; } = [];
        public bool Resolved { get; set; }
        public long? PinnedEnd { get; set; }
        public bool Outstanding { get; set; }
        public long? Committed { get; set; }
        public long? ResumeAt { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Assigned {Count} partitions: {Partitions}")]
        public static partial void Assigned(ILogger logger, int count, string partitions);

        [LoggerMessage(2, LogLevel.Information, "Partitions {Why}: {Partitions}; {Dropped} unacknowledged messages dropped (the next owner re-reads them)")]
        public static partial void Dropped(ILogger logger, string why, string partitions, int dropped);

        [LoggerMessage(3, LogLevel.Warning, "Kafka consumer error {Code}: {Reason}")]
        public static partial void ConsumerError(ILogger logger, ErrorCode code, string reason);

        [LoggerMessage(4, LogLevel.Warning, "Consume failed {Code}: {Reason}")]
        public static partial void ConsumeFailed(ILogger logger, ErrorCode code, string reason);

        [LoggerMessage(5, LogLevel.Information, "Partition {Partition}: replaying journaled cut {Start}-{End}")]
        public static partial void ReplayingCut(ILogger logger, int partition, long start, long end);

        [LoggerMessage(6, LogLevel.Warning, "Dead-lettered partition {Partition} offset {Offset}: {Reason}")]
        public static partial void DeadLettered(ILogger logger, int partition, long offset, string reason);

        [LoggerMessage(7, LogLevel.Warning, "Commit of partition {Partition} at {Offset} failed: {Code}")]
        public static partial void CommitFailed(ILogger logger, int partition, long offset, ErrorCode code);

        [LoggerMessage(8, LogLevel.Information, "Partition {Partition} batch {Start}-{End} not committed: partition moved; the new owner replays it")]
        public static partial void CommitSkipped(ILogger logger, int partition, long start, long end);

        [LoggerMessage(9, LogLevel.Warning, "Seek on partition {Partition} failed: {Code}")]
        public static partial void SeekFailed(ILogger logger, int partition, ErrorCode code);

        [LoggerMessage(10, LogLevel.Warning, "Retrying {What} after {Error} ({Code})")]
        public static partial void Retrying(ILogger logger, string what, string error, ErrorCode code);

        [LoggerMessage(11, LogLevel.Debug, "librdkafka {Facility}: {Message}")]
        public static partial void Librdkafka(ILogger logger, string facility, string message);
    }
}
