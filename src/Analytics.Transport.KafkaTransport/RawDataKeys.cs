using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Transport.KafkaTransport;

/// <summary>
/// The daily raw-data keys that seal the identifying fields on the raw topic, shared by collectors and anonymizers
/// through the compacted keys topic (<c>Kafka:RawKeysTopic</c>, partition 0) — never through the store, which the
/// collector must not reference.
/// <para>
/// Record key = key id <c>yyyyMMdd-&lt;16 hex&gt;</c> (the UTC day and a random proposal id), value
/// <c>v1|instance|createdAtMs|base64(nonce|AES-GCM(master, key)|tag)</c> with the purpose, raw topic and key id as
/// associated data. First writer wins: an instance that finds no key for the day proposes one, waits for the
/// acknowledgement, reads the topic up to its end again and takes the <em>earliest</em> record of the day that opens;
/// every instance applies the same rule to the same log, so racing proposers end up with one key. A loser tombstones
/// its own proposal. Each proposal has its own record key so compaction can never remove the winner in favour of a
/// later proposal.
/// </para>
/// <para>
/// A day's key is destroyed once <c>Kafka:RawRetention</c> + <c>Kafka:RawKeyDestroyMargin</c> have passed since the
/// day ended: zeroed in memory and a tombstone per proposal in the keys topic (compaction then removes the sealed value
/// from the log). Creation and destruction are audited (log line and <c>analytics.transport.rawkeys</c>).
/// </para>
/// </summary>
public sealed partial class RawDataKeys : IDisposable
{
    internal const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int EnvelopeSize = NonceSize + KeySize + TagSize;
    private const string Purpose = "raw-ident/v1";
    private static readonly TimeSpan FailFastFor = TimeSpan.FromSeconds(1);

    private readonly KafkaTransportOptions _options;
    private readonly TimeProvider _time;
    private readonly KafkaTransportMetrics _metrics;
    private readonly ILogger<RawDataKeys> _logger;
    private readonly byte[] _master = GC.AllocateArray<byte>(KeySize, pinned: true);
    private readonly TimeSpan _timeout;
    private readonly TopicPartition _partition;
    // Guards the view of the keys topic, the opened keys and the reader. Crypto on field values runs outside it.
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _creating = new(1, 1);
    private readonly Dictionary<string, Proposal> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<DateOnly, string> _sealing = [];
    private IProducer<string, byte[]?>? _producer;
    private IConsumer<byte[]?, byte[]?>? _reader;
    private long _next;
    private long _failedAt;
    private bool _disposed;

    public RawDataKeys(
        IOptions<KafkaTransportOptions> options, IOptions<RawKeyPrivacyOptions> privacy, TimeProvider time, KafkaTransportMetrics metrics,
        ILogger<RawDataKeys> logger)
    {
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _timeout = TimeSpan.FromMilliseconds(_options.RequestTimeoutMs);
        _partition = new TopicPartition(_options.RawKeysTopic, new Partition(0));
        var master = privacy.Value.MasterKey;
        if (!RawKeyPrivacyOptions.IsValidMasterKey(master) || !Convert.TryFromBase64String(master!.Trim(), _master, out _))
        {
            throw new InvalidOperationException(RawKeyPrivacyOptions.MasterKeyMessage);
        }
        InstanceId = privacy.Value.ResolvedInstanceId;
    }

    /// <summary>This instance's name in the audit lines.</summary>
    public string InstanceId { get; }

    /// <summary>The UTC day whose key seals an event received at <paramref name="receivedAtMs"/>.</summary>
    public static DateOnly DayOf(long receivedAtMs) => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(receivedAtMs).UtcDateTime);

    /// <summary>When the key of <paramref name="day"/> is destroyed: the day's end (UTC) + raw retention + margin.</summary>
    public DateTimeOffset DestroyAt(DateOnly day) =>
        new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + _options.RawRetention + _options.RawKeyDestroyMargin;

    /// <summary>Whether the key of <paramref name="day"/> is past its life (never created, never opened again).</summary>
    public bool IsExpired(DateOnly day) => _time.GetUtcNow() >= DestroyAt(day);

    /// <summary>
    /// Collector side: makes sure the key that seals <paramref name="day"/> is in memory, reading it from the keys
    /// topic or proposing one. False when no key can be obtained (keys topic unreachable, day expired): then nothing
    /// may be produced.
    /// </summary>
    public async ValueTask<bool> EnsureSealingKeyAsync(DateOnly day, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_sealing.ContainsKey(day)) return true;
        }
        if (IsExpired(day)) return false;
        // While the keys topic is unreachable, answer at once instead of queueing every request behind a timeout.
        var failedAt = Volatile.Read(ref _failedAt);
        if (failedAt != 0 && _time.GetElapsedTime(failedAt) < FailFastFor) return false;
        await _creating.WaitAsync(cancellationToken);
        try
        {
            lock (_gate)
            {
                if (_sealing.ContainsKey(day)) return true;
            }
            var ok = await Task.Run(() => ObtainAsync(day, cancellationToken), cancellationToken);
            Volatile.Write(ref _failedAt, ok ? 0 : _time.GetTimestamp());
            return ok;
        }
        catch (Exception ex) when (ex is KafkaException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            Volatile.Write(ref _failedAt, _time.GetTimestamp());
            Log.KeysUnavailable(_logger, ex.GetType().Name, ex is KafkaException k ? k.Error.Code : ErrorCode.Local_TimedOut);
            return false;
        }
        finally
        {
            _creating.Release();
        }
    }

    /// <summary>The key id and key that seal <paramref name="day"/>, if <see cref="EnsureSealingKeyAsync"/> obtained it.</summary>
    internal bool TryGetSealingKey(DateOnly day, out string keyId, out byte[] key)
    {
        lock (_gate)
        {
            if (_sealing.TryGetValue(day, out keyId!) && _open.TryGetValue(keyId, out key!)) return true;
        }
        keyId = "";
        key = [];
        return false;
    }

    /// <summary>
    /// Reader side: the key named <paramref name="keyId"/>, or null when it does not exist (destroyed, expired, never
    /// created, or not openable with this master key). Reads the keys topic to its end when the id is not known yet.
    /// Throws <see cref="KafkaException"/>/<see cref="TimeoutException"/> when the keys topic cannot be read: a
    /// transient failure must not turn into a dead letter.
    /// </summary>
    internal byte[]? GetOpeningKey(string keyId)
    {
        if (!TryParseKeyId(keyId, out var day)) return null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_open.TryGetValue(keyId, out var key)) return key;
            if (IsExpired(day)) return null;
            if (!_records.ContainsKey(keyId)) CatchUpLocked();
            return _records.TryGetValue(keyId, out var p) && TryOpenLocked(p, out key) ? key : null;
        }
    }

    /// <summary>
    /// Destroys every key past its life: in memory first (zeroed), then in the keys topic (a tombstone for each of the
    /// day's proposals). Returns how many days this call destroyed in the topic.
    /// </summary>
    public async Task<int> DestroyExpiredAsync(CancellationToken cancellationToken)
    {
        List<Proposal> expired;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            foreach (var keyId in _open.Keys.ToList())
            {
                if (TryParseKeyId(keyId, out var day) && IsExpired(day)) DropLocked(keyId);
            }
            foreach (var day in _sealing.Keys.Where(IsExpired).ToList()) _sealing.Remove(day);
            CatchUpLocked();
            expired = _records.Values.Where(p => IsExpired(p.Day)).ToList();
        }
        if (expired.Count == 0) return 0;
        var producer = Producer();
        foreach (var p in expired)
        {
            await producer.ProduceAsync(_partition, new Message<string, byte[]?> { Key = p.KeyId, Value = null }, cancellationToken);
            lock (_gate) _records.Remove(p.KeyId);
        }
        var days = expired.Select(p => p.Day).Distinct().Order().ToList();
        foreach (var day in days)
        {
            _metrics.RawKeyDestroyed();
            Log.Audit(_logger, "destroyed", Day(day), InstanceId, _time.GetUtcNow());
        }
        return days.Count;
    }

    /// <summary>Whether any key of <paramref name="day"/> is held in memory (tests, readiness).</summary>
    public bool HoldsKeyOf(DateOnly day)
    {
        lock (_gate) return _open.Keys.Any(k => TryParseKeyId(k, out var d) && d == day) || _sealing.ContainsKey(day);
    }

    /// <summary>The in-memory key array of <paramref name="keyId"/> (tests check it is zeroed on destruction).</summary>
    internal byte[]? PeekKey(string keyId)
    {
        lock (_gate) return _open.GetValueOrDefault(keyId);
    }

    private async Task<bool> ObtainAsync(DateOnly day, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            CatchUpLocked();
            if (ResolveLocked(day) is not null) return true;
        }

        var keyId = NewKeyId(day);
        var candidate = GC.AllocateArray<byte>(KeySize, pinned: true);
        byte[] value;
        try
        {
            RandomNumberGenerator.Fill(candidate);
            value = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
                $"v1|{InstanceId}|{_time.GetUtcNow().ToUnixTimeMilliseconds()}|{SealEnvelope(keyId, candidate)}"));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }
        var producer = Producer();
        await producer.ProduceAsync(_partition, new Message<string, byte[]?> { Key = keyId, Value = value }, cancellationToken);

        string? winner;
        lock (_gate)
        {
            // Our proposal is acknowledged (acks=all), so it is below the high watermark: reading to the end sees it
            // and every earlier proposal of the day; the earliest that opens wins, for every instance alike.
            CatchUpLocked();
            winner = ResolveLocked(day);
        }
        if (winner == keyId)
        {
            _metrics.RawKeyCreated();
            Log.Audit(_logger, "created", Day(day), InstanceId, _time.GetUtcNow());
        }
        else
        {
            Log.LostRace(_logger, Day(day));
            await producer.ProduceAsync(_partition, new Message<string, byte[]?> { Key = keyId, Value = null }, cancellationToken);
            lock (_gate) ForgetLocked(keyId);
        }
        return winner is not null;
    }

    private string? ResolveLocked(DateOnly day)
    {
        if (_sealing.TryGetValue(day, out var known)) return known;
        foreach (var p in _records.Values.Where(p => p.Day == day).OrderBy(p => p.Offset))
        {
            if (!TryOpenLocked(p, out _)) continue; // not sealed under our master key: ignored by every instance alike
            _sealing[day] = p.KeyId;
            return p.KeyId;
        }
        return null;
    }

    private bool TryOpenLocked(Proposal p, out byte[] key)
    {
        if (_open.TryGetValue(p.KeyId, out key!)) return true;
        key = GC.AllocateArray<byte>(KeySize, pinned: true);
        if (!OpenEnvelope(p.KeyId, p.Sealed, key))
        {
            CryptographicOperations.ZeroMemory(key);
            key = [];
            return false;
        }
        _open[p.KeyId] = key;
        return true;
    }

    /// <summary>The record is gone (tombstone, withdrawn proposal): forget it and drop the key from memory.</summary>
    private void ForgetLocked(string keyId)
    {
        _records.Remove(keyId);
        DropLocked(keyId);
    }

    /// <summary>Drops the opened key from memory (zeroed); the record stays known until its tombstone.</summary>
    private void DropLocked(string keyId)
    {
        if (_open.Remove(keyId, out var key)) CryptographicOperations.ZeroMemory(key);
        foreach (var (day, id) in _sealing.ToList())
        {
            if (id == keyId) _sealing.Remove(day);
        }
    }

    /// <summary>Reads the keys topic from where this instance stopped up to its current end.</summary>
    private void CatchUpLocked()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var reader = _reader ??= new ConsumerBuilder<byte[]?, byte[]?>(ReaderConfig()).SetLogHandler((_, _) => { }).Build();
        WatermarkOffsets marks;
        try
        {
            marks = reader.QueryWatermarkOffsets(_partition, _timeout);
        }
        catch (KafkaException)
        {
            // An unsubscribed reader keeps stale metadata after an outage (see CutJournal): start afresh next time.
            reader.Dispose();
            _reader = null;
            throw;
        }
        if (_next < marks.Low.Value) _next = marks.Low.Value;
        if (_next >= marks.High.Value) return;
        reader.Assign(new TopicPartitionOffset(_partition, new Offset(_next)));
        try
        {
            var started = Environment.TickCount64;
            while (_next < marks.High.Value)
            {
                if (Environment.TickCount64 - started > _timeout.TotalMilliseconds) throw new TimeoutException("Reading the raw-data keys topic timed out.");
                var r = reader.Consume(TimeSpan.FromMilliseconds(100));
                if (r is null) continue;
                if (r.IsPartitionEOF)
                {
                    _next = Math.Max(_next, r.Offset.Value); // compaction may leave a gap before the end
                    break;
                }
                Apply(r.Message.Key, r.Message.Value, r.Offset.Value);
                _next = r.Offset.Value + 1;
            }
        }
        finally
        {
            reader.Unassign();
        }
    }

    private void Apply(byte[]? key, byte[]? value, long offset)
    {
        if (key is null) return;
        var keyId = Encoding.ASCII.GetString(key);
        if (!TryParseKeyId(keyId, out var day)) return;
        if (value is null)
        {
            ForgetLocked(keyId);
            return;
        }
        var parts = Encoding.ASCII.GetString(value).Split('|');
        if (parts.Length != 4 || parts[0] != "v1") return;
        _records.TryAdd(keyId, new Proposal(keyId, day, offset, parts[3]));
    }

    private ConsumerConfig ReaderConfig()
    {
        var c = KafkaClientConfigs.Consumer(_options, _options.GroupId + ".rawkeys-reader");
        c.EnablePartitionEof = true;
        return c;
    }

    private IProducer<string, byte[]?> Producer()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _producer ??= new ProducerBuilder<string, byte[]?>(KafkaClientConfigs.Producer(_options, lingerMs: 0))
                .SetLogHandler((_, _) => { })
                .Build();
        }
    }

    private string SealEnvelope(string keyId, ReadOnlySpan<byte> key)
    {
        Span<byte> sealedBytes = stackalloc byte[EnvelopeSize];
        RandomNumberGenerator.Fill(sealedBytes[..NonceSize]);
        using (var aes = new AesGcm(_master, TagSize))
        {
            aes.Encrypt(sealedBytes[..NonceSize], key, sealedBytes.Slice(NonceSize, KeySize), sealedBytes[^TagSize..], EnvelopeAd(keyId));
        }
        return Convert.ToBase64String(sealedBytes);
    }

    private bool OpenEnvelope(string keyId, string sealedValue, Span<byte> key)
    {
        Span<byte> sealedBytes = stackalloc byte[EnvelopeSize + 3];
        if (!Convert.TryFromBase64String(sealedValue, sealedBytes, out var n) || n != EnvelopeSize) return false;
        try
        {
            using var aes = new AesGcm(_master, TagSize);
            aes.Decrypt(sealedBytes[..NonceSize], sealedBytes.Slice(NonceSize, KeySize), sealedBytes.Slice(NonceSize + KeySize, TagSize), key, EnvelopeAd(keyId));
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    // Binds a sealed key to its purpose, the raw topic it protects and its id (which names the day): it cannot be
    // replayed for another day, topic or purpose.
    private byte[] EnvelopeAd(string keyId) => Encoding.UTF8.GetBytes($"analytics.rawkeys/v1\n{Purpose}\n{_options.RawTopic}\n{keyId}");

    private static string NewKeyId(DateOnly day) =>
        day.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    internal static bool TryParseKeyId(string keyId, out DateOnly day)
    {
        day = default;
        return keyId.Length == 25 && keyId[8] == '-'
            && DateOnly.TryParseExact(keyId.AsSpan(0, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var key in _open.Values) CryptographicOperations.ZeroMemory(key);
            _open.Clear();
            _sealing.Clear();
            CryptographicOperations.ZeroMemory(_master);
            _reader?.Dispose();
            _producer?.Flush(TimeSpan.FromSeconds(5));
            _producer?.Dispose();
        }
        _creating.Dispose();
    }

    private sealed record Proposal(string KeyId, DateOnly Day, long Offset, string Sealed);

    private static partial class Log
    {
        // Audit trail: time, instance, day, action. Never key material, never an identifier.
        [LoggerMessage(1, LogLevel.Information, "Raw-data key audit: {Action} key of day {Day} by {Instance} at {Time:O}")]
        public static partial void Audit(ILogger logger, string action, string day, string instance, DateTimeOffset time);

        [LoggerMessage(2, LogLevel.Warning, "Raw-data key unavailable ({Error}, {Code}): events are refused (503), never sent in plain")]
        public static partial void KeysUnavailable(ILogger logger, string error, ErrorCode code);

        [LoggerMessage(3, LogLevel.Information, "Raw-data key of day {Day}: another instance proposed first; using its key")]
        public static partial void LostRace(ILogger logger, string day);
    }
}
