using System.Security.Cryptography;

namespace Analytics.Privacy;

/// <summary>
/// Random 32-byte keys per (site, site-local day), held in memory only. A key exists for the site's
/// current and previous local day; it is destroyed (zeroed, then dropped) by <see cref="DestroyExpired"/>
/// once its day ended more than 24 h ago, so no key outlives ~48 h after its day began. Creation and
/// destruction are reported through <see cref="Audit"/>. Thread-safe.
/// </summary>
public sealed class DailyKeyRing
{
    /// <summary>Key size in bytes.</summary>
    public const int KeySize = 32;

    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private readonly TimeProvider _time;
    private readonly Func<string, TimeZoneInfo> _siteTimeZone;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Site, DateOnly Day), Entry> _keys = [];
    private readonly bool _createOnFirstUse;

    /// <summary>Creates an empty key ring.</summary>
    /// <param name="time">Clock; inject a fake one in tests.</param>
    /// <param name="siteTimeZone">Resolves a site's time zone (its "day" is its local calendar day).</param>
    /// <param name="createOnFirstUse">
    /// Whether <see cref="TryGetKey"/> creates a missing key itself (one process, keys in memory only). Pass
    /// <see langword="false"/> when keys are shared between instances and adopted with <see cref="TryInstall"/>.
    /// </param>
    public DailyKeyRing(TimeProvider time, Func<string, TimeZoneInfo> siteTimeZone, bool createOnFirstUse = true)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(siteTimeZone);
        _time = time;
        _siteTimeZone = siteTimeZone;
        _createOnFirstUse = createOnFirstUse;
    }

    /// <summary>Whether <paramref name="day"/> is the site's current or previous local day, the only days with keys.</summary>
    /// <param name="site">Site identifier.</param>
    /// <param name="day">Site-local day.</param>
    public bool IsKeyDay(string site, DateOnly day)
    {
        var today = SiteDay.For(_time.GetUtcNow(), _siteTimeZone(site));
        return day == today || day == today.AddDays(-1);
    }

    /// <summary>The site's current local day.</summary>
    /// <param name="site">Site identifier.</param>
    public DateOnly Today(string site) => SiteDay.For(_time.GetUtcNow(), _siteTimeZone(site));

    /// <summary>Whether the ring holds a key for <paramref name="site"/> and <paramref name="day"/>.</summary>
    /// <param name="site">Site identifier.</param>
    /// <param name="day">Site-local day.</param>
    public bool HasKey(string site, DateOnly day)
    {
        lock (_gate)
        {
            return _keys.ContainsKey((site, day));
        }
    }

    /// <summary>
    /// Adopts a key created elsewhere (another instance, or this one before a restart) for a day that still has a key
    /// window. The bytes are copied; the caller should zero its copy. An existing key is kept (first one wins).
    /// Raises no audit entry: whoever created the key recorded its creation.
    /// </summary>
    /// <param name="site">Site identifier.</param>
    /// <param name="day">Site-local day.</param>
    /// <param name="material">The 32-byte key.</param>
    /// <param name="createdAt">When the key was created.</param>
    /// <returns>Whether the ring now holds a key for that day.</returns>
    /// <exception cref="ArgumentException"><paramref name="material"/> is not 32 bytes.</exception>
    public bool TryInstall(string site, DateOnly day, ReadOnlySpan<byte> material, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (material.Length != KeySize) throw new ArgumentException("A day key is 32 bytes.", nameof(material));
        if (!IsKeyDay(site, day)) return false;
        lock (_gate)
        {
            if (!_keys.ContainsKey((site, day)))
            {
                _keys.Add((site, day), new Entry(material.ToArray(), _siteTimeZone(site), createdAt));
            }
        }

        return true;
    }

    /// <summary>Whether the key of <paramref name="day"/> must be destroyed at <paramref name="now"/>: its day ended 24 h ago or more.</summary>
    /// <param name="day">Site-local day of the key.</param>
    /// <param name="zone">The site's time zone.</param>
    /// <param name="now">The current instant.</param>
    public static bool IsExpired(DateOnly day, TimeZoneInfo zone, DateTimeOffset now) =>
        now - SiteDay.StartOf(day.AddDays(1), zone) >= Retention;

    /// <summary>
    /// Raised after a key is created or destroyed (outside the ring's lock). Entries never contain key
    /// material. Handlers should not throw: an exception propagates to the caller of
    /// <see cref="TryGetKey"/> or <see cref="DestroyExpired"/> (the key operation itself has already happened).
    /// </summary>
    public event Action<KeyAuditEntry>? Audit;

    /// <summary>
    /// Gets the key for <paramref name="site"/> and site-local <paramref name="day"/>, creating it on first use.
    /// Only the site's current and previous local day have keys; for any other day (late or future events)
    /// this returns <see langword="false"/>: such events are counted but get no visitor key.
    /// </summary>
    /// <param name="site">Site identifier.</param>
    /// <param name="day">Site-local day of the event (see <see cref="SiteDay.For"/>).</param>
    /// <param name="key">The 32-byte key, or empty. Use it for the batch at hand only; do not cache it
    /// (it is zeroed in place when destroyed).</param>
    public bool TryGetKey(string site, DateOnly day, out ReadOnlyMemory<byte> key)
    {
        ArgumentNullException.ThrowIfNull(site);
        var now = _time.GetUtcNow();
        var zone = _siteTimeZone(site);
        var today = SiteDay.For(now, zone);
        if (day != today && day != today.AddDays(-1))
        {
            key = ReadOnlyMemory<byte>.Empty;
            return false;
        }

        KeyAuditEntry? created = null;
        lock (_gate)
        {
            if (!_keys.TryGetValue((site, day), out var entry))
            {
                if (!_createOnFirstUse)
                {
                    key = ReadOnlyMemory<byte>.Empty;
                    return false;
                }

                var material = new byte[KeySize];
                RandomNumberGenerator.Fill(material);
                entry = new Entry(material, zone, now);
                _keys.Add((site, day), entry);
                created = new KeyAuditEntry(site, day, KeyAuditEntry.Created, now);
            }

            key = entry.Key;
        }

        if (created is not null)
        {
            Audit?.Invoke(created);
        }

        return true;
    }

    /// <summary>
    /// Destroys every key whose site-local day ended more than 24 h ago (at or after that moment):
    /// the key bytes are zeroed with <see cref="CryptographicOperations.ZeroMemory"/> and the entry removed.
    /// Call it periodically (e.g. every few minutes).
    /// </summary>
    /// <returns>How many keys were destroyed.</returns>
    public int DestroyExpired()
    {
        var now = _time.GetUtcNow();
        List<KeyAuditEntry>? destroyed = null;
        lock (_gate)
        {
            foreach (var ((site, day), entry) in _keys)
            {
                if (IsExpired(day, entry.Zone, now))
                {
                    CryptographicOperations.ZeroMemory(entry.Key);
                    (destroyed ??= []).Add(new KeyAuditEntry(site, day, KeyAuditEntry.Destroyed, now));
                }
            }

            if (destroyed is not null)
            {
                foreach (var entry in destroyed)
                {
                    _keys.Remove((entry.Site, entry.Day));
                }
            }
        }

        if (destroyed is null)
        {
            return 0;
        }

        foreach (var entry in destroyed)
        {
            Audit?.Invoke(entry);
        }

        return destroyed.Count;
    }

    /// <summary>
    /// Lists the keys currently held (site, day, creation time), ordered by site then day, for the privacy
    /// check ("what do we hold"). Never returns key material.
    /// </summary>
    public IReadOnlyList<(string Site, DateOnly Day, DateTimeOffset CreatedAt)> Describe()
    {
        lock (_gate)
        {
            return _keys
                .Select(pair => (pair.Key.Site, pair.Key.Day, pair.Value.CreatedAt))
                .OrderBy(k => k.Site, StringComparer.Ordinal)
                .ThenBy(k => k.Day)
                .ToArray();
        }
    }

    // A class, not a record: a record's generated ToString/Equals would touch the key bytes.
    private sealed class Entry(byte[] key, TimeZoneInfo zone, DateTimeOffset createdAt)
    {
        public byte[] Key { get; } = key;

        public TimeZoneInfo Zone { get; } = zone;

        public DateTimeOffset CreatedAt { get; } = createdAt;
    }
}
