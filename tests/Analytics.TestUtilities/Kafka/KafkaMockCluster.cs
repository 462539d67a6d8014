using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace Analytics.TestUtilities.Kafka;

/// <summary>Kafka protocol request types, for <see cref="KafkaMockCluster.PushRequestErrors"/>.</summary>
public enum KafkaApiKey : short
{
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    LeaveGroup = 13,
    SyncGroup = 14,
    InitProducerId = 22,
}

/// <summary>Kafka protocol error codes the tests inject (the numeric values of <c>rd_kafka_resp_err_t</c>).</summary>
public static class KafkaErrors
{
    public const int NotLeaderForPartition = 6;
    public const int RequestTimedOut = 7;
    public const int NotEnoughReplicas = 19;
    public const int NotEnoughReplicasAfterAppend = 20;
    public const int CoordinatorNotAvailable = 15;
    public const int NotCoordinator = 16;
}

/// <summary>
/// librdkafka's built-in mock cluster: real Kafka protocol over TCP on localhost, in this process, with fault
/// injection (broker down/up, request errors). Cheap to create (a few ms), so a test that injects faults takes its
/// own; tests that only need a broker share <see cref="KafkaMockFixture"/>'s. Keeps only a few MB per partition:
/// consume while producing.
/// </summary>
public sealed class KafkaMockCluster : IDisposable
{
    private IntPtr _rk;
    private IntPtr _cluster;
    private readonly HashSet<KafkaApiKey> _pushed = [];

    static KafkaMockCluster() => NativeLibrary.SetDllImportResolver(typeof(KafkaMockCluster).Assembly, Resolve);

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers (ids 1..n).</summary>
    public KafkaMockCluster(int brokers = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        Brokers = brokers;
        var conf = Native.rd_kafka_conf_new();
        var err = new byte[512];
        if (Native.rd_kafka_conf_set(conf, "log_level", "0", err, (UIntPtr)err.Length) != 0) throw new InvalidOperationException("rd_kafka_conf_set failed: " + Text(err));
        _rk = Native.rd_kafka_new(0, conf, err, (UIntPtr)err.Length);
        if (_rk == IntPtr.Zero) throw new InvalidOperationException("rd_kafka_new failed: " + Text(err));
        _cluster = Native.rd_kafka_mock_cluster_new(_rk, brokers);
        if (_cluster == IntPtr.Zero) throw new InvalidOperationException("rd_kafka_mock_cluster_new failed");
        BootstrapServers = Marshal.PtrToStringUTF8(Native.rd_kafka_mock_cluster_bootstraps(_cluster))!;
        // Group joins settle at once instead of after the default 3 s delay.
        Native.rd_kafka_mock_group_initial_rebalance_delay_ms(_cluster, 0);
        // Admin requests (CreateTopics) go to the controller; name one.
        Native.rd_kafka_mock_set_controller_id(_cluster, 1);
    }

    public int Brokers { get; }

    /// <summary><c>host:port,...</c> of the mock brokers.</summary>
    public string BootstrapServers { get; }

    /// <summary>Creates <paramref name="topic"/> (the mock also auto-creates topics with default settings on first use).</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = -1)
    {
        var rf = replicationFactor < 0 ? Math.Min(Brokers, 3) : replicationFactor;
        Check(Native.rd_kafka_mock_topic_create(Cluster, topic, partitions, rf), $"create topic {topic}");
    }

    /// <summary>Takes broker <paramref name="brokerId"/> (1-based) down: its connections drop and it refuses new ones.</summary>
    public void SetBrokerDown(int brokerId) => Check(Native.rd_kafka_mock_broker_set_down(Cluster, brokerId), $"broker {brokerId} down");

    public void SetBrokerUp(int brokerId) => Check(Native.rd_kafka_mock_broker_set_up(Cluster, brokerId), $"broker {brokerId} up");

    /// <summary>Takes every broker down (clients see the cluster as unreachable).</summary>
    public void SetAllBrokersDown()
    {
        for (var id = 1; id <= Brokers; id++) SetBrokerDown(id);
    }

    public void SetAllBrokersUp()
    {
        for (var id = 1; id <= Brokers; id++) SetBrokerUp(id);
    }

    /// <summary>The next <paramref name="errors"/>.Length requests of type <paramref name="apiKey"/> fail with these codes, in order.</summary>
    public void PushRequestErrors(KafkaApiKey apiKey, params int[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        lock (_pushed) _pushed.Add(apiKey);
        Native.rd_kafka_mock_push_request_errors_array(Cluster, (short)apiKey, (UIntPtr)errors.Length, errors);
    }

    /// <summary>Forgets pushed errors of <paramref name="apiKey"/> not yet consumed.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey) => Native.rd_kafka_mock_clear_request_errors(Cluster, (short)apiKey);

    /// <summary>Makes broker <paramref name="brokerId"/> answer every request <paramref name="rttMs"/> late.</summary>
    public void SetBrokerRtt(int brokerId, int rttMs) => Check(Native.rd_kafka_mock_broker_set_rtt(Cluster, brokerId, rttMs), "rtt");

    private IntPtr Cluster => _cluster != IntPtr.Zero ? _cluster : throw new ObjectDisposedException(nameof(KafkaMockCluster));

    public void Dispose()
    {
        if (_cluster != IntPtr.Zero)
        {
            // Errors pushed but never consumed would otherwise be freed with the cluster while its threads still run.
            lock (_pushed)
            {
                foreach (var key in _pushed) Native.rd_kafka_mock_clear_request_errors(_cluster, (short)key);
            }
            Native.rd_kafka_mock_cluster_destroy(_cluster);
            _cluster = IntPtr.Zero;
        }
        if (_rk != IntPtr.Zero)
        {
            Native.rd_kafka_destroy(_rk);
            _rk = IntPtr.Zero;
        }
    }

    private static string Text(byte[] err) => Encoding.UTF8.GetString(err, 0, Math.Max(0, Array.IndexOf(err, (byte)0)));

    private static void Check(int err, string what)
    {
        if (err != 0) throw new InvalidOperationException($"Kafka mock: {what} failed with error {err}.");
    }

    /// <summary>Loads the librdkafka that Confluent.Kafka ships (librdkafka.redist), so both share one library.</summary>
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? paths)
    {
        if (name != Native.Library) return IntPtr.Zero;
        var rid = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win-x64" : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx-" + (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64") : "linux-" + (RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64");
        var file = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "librdkafka.dll" : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "librdkafka.dylib" : "librdkafka.so";
        // Like Confluent.Kafka's own loader: the glibc build first, then the centos8 build (no libsasl2.so.3 needed).
        var native = Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
        foreach (var candidate in new[] { Path.Combine(native, file), Path.Combine(native, "centos8-" + file), Path.Combine(AppContext.BaseDirectory, file) })
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        throw new DllNotFoundException($"librdkafka not found under {AppContext.BaseDirectory}runtimes/{rid}/native: reference Confluent.Kafka from the test project.");
    }

    private static class Native
    {
        public const string Library = "librdkafka";

        [DllImport(Library)] public static extern IntPtr rd_kafka_conf_new();
        [DllImport(Library)] public static extern int rd_kafka_conf_set(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, byte[] errstr, UIntPtr errstrSize);
        [DllImport(Library)] public static extern IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);
        [DllImport(Library)] public static extern void rd_kafka_destroy(IntPtr rk);
        [DllImport(Library)] public static extern IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokers);
        [DllImport(Library)] public static extern void rd_kafka_mock_cluster_destroy(IntPtr cluster);
        [DllImport(Library)] public static extern IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);
        [DllImport(Library)] public static extern int rd_kafka_mock_topic_create(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);
        [DllImport(Library)] public static extern int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);
        [DllImport(Library)] public static extern int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);
        [DllImport(Library)] public static extern int rd_kafka_mock_broker_set_rtt(IntPtr cluster, int brokerId, int rttMs);
        [DllImport(Library)] public static extern void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, UIntPtr count, int[] errors);
        [DllImport(Library)] public static extern void rd_kafka_mock_clear_request_errors(IntPtr cluster, short apiKey);
        [DllImport(Library)] public static extern void rd_kafka_mock_set_controller_id(IntPtr cluster, int brokerId);
        [DllImport(Library)] public static extern void rd_kafka_mock_group_initial_rebalance_delay_ms(IntPtr cluster, int delayMs);
    }
}

/// <summary>
/// One shared mock cluster per test process for tests that do not inject faults
/// (<c>[assembly: AssemblyFixture(typeof(KafkaMockFixture))]</c>). Tests keep apart by topic and group names
/// (<see cref="Unique"/>).
/// </summary>
public sealed class KafkaMockFixture : IDisposable
{
    private static int s_names;

    public KafkaMockCluster Cluster { get; } = new(3);

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>A name no other test in this process uses, e.g. <c>raw-7</c>.</summary>
    public static string Unique(string hint) => $"{hint}-{Interlocked.Increment(ref s_names)}";

    public void Dispose() => Cluster.Dispose();
}
