namespace Analytics.Privacy;

/// <summary>
/// Thread-safe counts of what the scrubbers removed, per reason: <c>email, phone, ip, uuid, jwt, token,
/// number, click_id, query_param</c>. Counts only, never the removed values. Share one instance per component
/// and export <see cref="Snapshot"/> as metrics.
/// </summary>
public sealed class ScrubCounters
{
    /// <summary>The reasons, in a stable order (the keys of <see cref="Snapshot"/>).</summary>
    public static IReadOnlyList<string> Reasons { get; } =
        ["email", "phone", "ip", "uuid", "jwt", "token", "number", "click_id", "query_param"];

    private readonly long[] _counts = new long[Reasons.Count];

    /// <summary>Returns the current count for every reason (all reasons present, zero included).</summary>
    public IReadOnlyDictionary<string, long> Snapshot()
    {
        var snapshot = new Dictionary<string, long>(Reasons.Count, StringComparer.Ordinal);
        for (int i = 0; i < _counts.Length; i++)
        {
            snapshot[Reasons[i]] = Interlocked.Read(ref _counts[i]);
        }

        return snapshot;
    }

    internal void Increment(ScrubReason reason) => Interlocked.Increment(ref _counts[(int)reason]);
}

/// <summary>Indexes into <see cref="ScrubCounters.Reasons"/> (same order).</summary>
internal enum ScrubReason
{
    Email,
    Phone,
    Ip,
    Uuid,
    Jwt,
    Token,
    Number,
    ClickId,
    QueryParam,
}
