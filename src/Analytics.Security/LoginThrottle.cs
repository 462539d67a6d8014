using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Analytics.Security;

/// <summary>
/// The brute-force brake of the dashboard login, in memory: <see cref="LoginBrakeOptions.MaxFailures"/> wrong
/// passwords for one username from one address within <see cref="LoginBrakeOptions.Lockout"/> lock that pair for
/// <see cref="LoginBrakeOptions.Lockout"/>. The key does not depend on whether the username exists.
/// </summary>
public sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider time)
{
    private const int MaxTracked = 10_000;
    private readonly LoginBrakeOptions _options = options.Value.Login;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public int Failures;
        public DateTimeOffset WindowStart;
        public DateTimeOffset LockedUntil;
    }

    /// <summary>Whether the pair is locked now; if so, for how much longer.</summary>
    public bool IsLocked(string username, IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_entries.TryGetValue(Key(username, address), out var entry)) return false;
        lock (entry)
        {
            var left = entry.LockedUntil - time.GetUtcNow();
            if (left <= TimeSpan.Zero) return false;
            retryAfter = left;
            return true;
        }
    }

    /// <summary>Counts a failure; true when this failure starts a lockout.</summary>
    public bool RecordFailure(string username, IPAddress? address)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= MaxTracked) Prune(now);
        var entry = _entries.GetOrAdd(Key(username, address), _ => new Entry { WindowStart = now });
        lock (entry)
        {
            if (now - entry.WindowStart > _options.Lockout)
            {
                entry.WindowStart = now;
                entry.Failures = 0;
            }
            entry.Failures++;
            if (entry.Failures < _options.MaxFailures) return false;
            entry.LockedUntil = now + _options.Lockout;
            entry.Failures = 0;
            entry.WindowStart = entry.LockedUntil;
            return true;
        }
    }

    /// <summary>Forgets the failures of the pair after a successful login.</summary>
    public void Reset(string username, IPAddress? address) => _entries.TryRemove(Key(username, address), out _);

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            bool stale;
            lock (entry) stale = entry.LockedUntil <= now && now - entry.WindowStart > _options.Lockout;
            if (stale) _entries.TryRemove(key, out _);
        }
    }

    private static string Key(string username, IPAddress? address) =>
        $"{username.ToUpperInvariant()}\n{address?.ToString() ?? "-"}";
}
