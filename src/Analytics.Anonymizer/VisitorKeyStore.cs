using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Analytics.Contracts;
using Analytics.Privacy;
using Analytics.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Anonymizer;

/// <summary>A stored visitor key without its material: which site and day, when and by whom it was created.</summary>
public sealed record StoredKeyInfo(string Site, DateOnly Day, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>
/// The daily visitor keys shared by every anonymizer instance through the store (table <c>visitor_keys</c>, sealed under
/// the master key). A key is created once per site and day — first writer wins, by insert deduplication on a token all
/// instances derive alike — read back by everyone, held in the <see cref="DailyKeyRing"/>, and destroyed (row deleted,
/// memory zeroed) once its day ended 24 h ago. Creation and destruction are audited in <c>visitor_key_audit</c>.
/// </summary>
public sealed partial class VisitorKeyStore
{
    private readonly IAnalyticsStore _store;
    private readonly DailyKeyRing _ring;
    private readonly MasterKey _master;
    private readonly SiteRegistry _sites;
    private readonly TimeProvider _time;
    private readonly PrivacyMetrics _metrics;
    private readonly ILogger<VisitorKeyStore> _logger;

    public VisitorKeyStore(IAnalyticsStore store, DailyKeyRing ring, MasterKey master, SiteRegistry sites, TimeProvider time,
        IOptions<PrivacyOptions> options, PrivacyMetrics metrics, ILogger<VisitorKeyStore> logger)
    {
        _store = store;
        _ring = ring;
        _master = master;
        _sites = sites;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        InstanceId = string.IsNullOrWhiteSpace(options.Value.InstanceId)
            ? $"{Environment.MachineName}:{Environment.ProcessId}"
            : options.Value.InstanceId.Trim();
    }

    /// <summary>This instance's name in the audit trail.</summary>
    public string InstanceId { get; }

    /// <summary>The key ring this store fills.</summary>
    public DailyKeyRing Ring => _ring;

    /// <summary>
    /// Makes sure the ring holds the key of every (site, day) given that still has a key window: read from the store,
    /// or created there when no instance has created it yet. Days outside the window are left alone (late events).
    /// </summary>
    public async Task EnsureAsync(IEnumerable<(string Site, DateOnly Day)> days, CancellationToken cancellationToken)
    {
        foreach (var (site, day) in days.Distinct())
        {
            if (_ring.HasKey(site, day) || !_ring.IsKeyDay(site, day)) continue;
            if (await LoadAsync(site, day, cancellationToken)) continue;
            await CreateAsync(site, day, cancellationToken);
        }
    }

    /// <summary>Reads an existing key into the ring; never creates one. Returns whether the ring holds the key.</summary>
    public async Task<bool> LoadAsync(string site, DateOnly day, CancellationToken cancellationToken)
    {
        if (_ring.HasKey(site, day)) return true;
        if (!_ring.IsKeyDay(site, day)) return false;
        var rows = await _store.QueryAsync(StoreQueries.Get("privacy_key_get"), SiteDayParameters(site, day), cancellationToken);
        return rows.Count > 0 && Install(site, day, rows[0]);
    }

    /// <summary>
    /// Destroys every key whose day ended 24 h ago or more: in memory (zeroed) and in the store (row deleted, with the
    /// forgotten-device rows of that day), whichever instance created it. Returns how many stored keys were destroyed.
    /// </summary>
    public async Task<int> DestroyExpiredAsync(CancellationToken cancellationToken)
    {
        _ring.DestroyExpired();
        var now = _time.GetUtcNow();
        var destroyed = 0;
        foreach (var key in await ListAsync(cancellationToken))
        {
            if (!DailyKeyRing.IsExpired(key.Day, _sites.TimeZoneOf(key.Site), now)) continue;
            var parameters = SiteDayParameters(key.Site, key.Day);
            await _store.ExecuteAsync(StoreQueries.Get("privacy_key_destroy"), parameters, cancellationToken);
            await _store.ExecuteAsync(StoreQueries.Get("privacy_forgotten_purge"), parameters, cancellationToken);
            await AuditAsync(KeyAuditEntry.Destroyed, key.Site, key.Day, cancellationToken);
            destroyed++;
        }

        return destroyed;
    }

    /// <summary>Every stored key (no material), ordered by site and day.</summary>
    public async Task<IReadOnlyList<StoredKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await _store.QueryAsync(StoreQueries.Get("privacy_key_list"), new Dictionary<string, string>(), cancellationToken);
        return rows.Select(r => new StoredKeyInfo(
            r.GetProperty("site").GetString()!,
            DateOnly.ParseExact(r.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            ParseTime(r.GetProperty("created_at").GetString()!),
            r.GetProperty("created_by").GetString()!)).ToList();
    }

    private async Task CreateAsync(string site, DateOnly day, CancellationToken cancellationToken)
    {
        var candidate = RandomNumberGenerator.GetBytes(DailyKeyRing.KeySize);
        string sealedKey;
        try
        {
            sealedKey = DayKeyEnvelope.Seal(_master.Span, site, day, candidate);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }

        var insert = StoreQueries.Get("privacy_key_insert").Replace("@token@", DeduplicationToken(site, day), StringComparison.Ordinal);
        var parameters = SiteDayParameters(site, day);
        parameters["sealed_key"] = sealedKey;
        parameters["created_at"] = DateTime64(_time.GetUtcNow());
        parameters["created_by"] = InstanceId;
        await _store.ExecuteAsync(insert, parameters, cancellationToken);

        // Read back: the stored candidate is the first one offered, ours or another instance's.
        var rows = await _store.QueryAsync(StoreQueries.Get("privacy_key_get"), SiteDayParameters(site, day), cancellationToken);
        if (rows.Count == 0) throw new InvalidOperationException("A visitor key offered to the store could not be read back.");
        Install(site, day, rows[0]);
        if (string.Equals(rows[0].GetProperty("sealed_key").GetString(), sealedKey, StringComparison.Ordinal))
        {
            await AuditAsync(KeyAuditEntry.Created, site, day, cancellationToken);
        }
    }

    private bool Install(string site, DateOnly day, JsonElement row)
    {
        Span<byte> key = stackalloc byte[DailyKeyRing.KeySize];
        try
        {
            if (!DayKeyEnvelope.TryOpen(_master.Span, site, day, row.GetProperty("sealed_key").GetString()!, key))
            {
                throw new InvalidOperationException(
                    "A stored visitor key cannot be opened with this master key: every anonymizer instance needs the same Privacy:MasterKey.");
            }

            return _ring.TryInstall(site, day, key, ParseTime(row.GetProperty("created_at").GetString()!));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private async Task AuditAsync(string action, string site, DateOnly day, CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        var parameters = SiteDayParameters(site, day);
        parameters["at"] = DateTime64(at);
        parameters["action"] = action;
        parameters["actor"] = InstanceId;
        await _store.ExecuteAsync(StoreQueries.Get("privacy_key_audit"), parameters, cancellationToken);
        _metrics.Key(action);
        Log.KeyAudit(_logger, action, site, day, InstanceId);
    }

    /// <summary>The token every instance derives alike for a site and day: <c>vk-&lt;site hash&gt;-&lt;yyyyMMdd&gt;</c>.</summary>
    internal static string DeduplicationToken(string site, DateOnly day) =>
        "vk-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(site)))[..32] + "-" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    internal static Dictionary<string, string> SiteDayParameters(string site, DateOnly day) => new()
    {
        ["site"] = site,
        ["day"] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    internal static string DateTime64(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Visitor key {Action} for site {Site}, day {Day}, by {Instance}")]
        public static partial void KeyAudit(ILogger logger, string action, string site, DateOnly day, string instance);
    }
}
