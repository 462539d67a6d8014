using System.Globalization;
using Analytics.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Anonymizer;

/// <summary>
/// Devices that asked to be forgotten, by (site, day, visitor key), so the anonymizer drops their further events of
/// that day. Requests handled by this instance count at once; those handled by other instances are read from the
/// store (<c>forgotten_visitors</c>) every <see cref="PrivacyOptions.ForgottenRefreshInterval"/>, and events another
/// instance wrote in between are swept by <see cref="SweepLeftoversAsync"/>.
/// </summary>
public sealed partial class ForgottenVisitors
{
    private readonly IAnalyticsStore _store;
    private readonly TimeProvider _time;
    private readonly PrivacyOptions _options;
    private readonly ILogger<ForgottenVisitors> _logger;
    private readonly Lock _gate = new();
    private HashSet<(string Site, DateOnly Day, ulong Key)> _set = [];
    private long _refreshedAt;
    private bool _loaded;

    public ForgottenVisitors(IAnalyticsStore store, TimeProvider time, IOptions<PrivacyOptions> options, ILogger<ForgottenVisitors> logger)
    {
        _store = store;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Whether the device with <paramref name="visitorKey"/> asked to be forgotten on <paramref name="day"/>.</summary>
    public bool Contains(string site, DateOnly day, ulong visitorKey)
    {
        lock (_gate)
        {
            return _set.Contains((site, day, visitorKey));
        }
    }

    /// <summary>Marks a device forgotten in this instance (the caller records it in the store).</summary>
    public void Add(string site, DateOnly day, ulong visitorKey)
    {
        lock (_gate)
        {
            _set.Add((site, day, visitorKey));
        }
    }

    /// <summary>Re-reads the store's list when it is older than the refresh interval (or never read).</summary>
    public async Task RefreshIfDueAsync(CancellationToken cancellationToken)
    {
        if (_loaded && _time.GetElapsedTime(_refreshedAt) < _options.ForgottenRefreshInterval) return;
        var since = Since();
        var rows = await _store.QueryAsync(StoreQueries.Get("privacy_forgotten"),
            new Dictionary<string, string> { ["since"] = since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, cancellationToken);
        var fresh = new HashSet<(string, DateOnly, ulong)>(rows.Select(r => (
            r.GetProperty("site").GetString()!,
            DateOnly.ParseExact(r.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            r.GetProperty("visitor_key").GetUInt64())));
        lock (_gate)
        {
            // Keep local marks the store may not show yet; drop days whose keys are gone.
            foreach (var local in _set) if (local.Day >= since) fresh.Add(local);
            _set = fresh;
        }

        _refreshedAt = _time.GetTimestamp();
        _loaded = true;
    }

    /// <summary>
    /// Deletes rows of <paramref name="written"/> whose device was forgotten while the batch was in flight (anonymized
    /// before the request, written after its delete).
    /// </summary>
    public async Task DeleteLateArrivalsAsync(IReadOnlyList<AnonymizedEvent> written, CancellationToken cancellationToken)
    {
        var late = written.Where(r => r.VisitorKey != 0 && Contains(r.Site, r.Day, r.VisitorKey))
            .Select(r => (r.Site, r.Day, r.VisitorKey)).Distinct().ToList();
        foreach (var (site, day, key) in late) await DeleteEventsAsync(_store, site, day, key, cancellationToken);
        if (late.Count > 0) Log.LateArrivalsDeleted(_logger, late.Count);
    }

    /// <summary>
    /// Deletes events of forgotten devices that reached the store after their forget request (written by an instance
    /// that had not refreshed its list yet). Cheap when there are none: one indexed count.
    /// </summary>
    public async Task<int> SweepLeftoversAsync(CancellationToken cancellationToken)
    {
        var rows = await _store.QueryAsync(StoreQueries.Get("privacy_forgotten_leftovers"),
            new Dictionary<string, string> { ["since"] = Since().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, cancellationToken);
        foreach (var r in rows)
        {
            await DeleteEventsAsync(_store, r.GetProperty("site").GetString()!,
                DateOnly.ParseExact(r.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                r.GetProperty("visitor_key").GetUInt64(), cancellationToken);
        }

        if (rows.Count > 0) Log.LateArrivalsDeleted(_logger, rows.Count);
        return rows.Count;
    }

    internal static Task DeleteEventsAsync(IAnalyticsStore store, string site, DateOnly day, ulong visitorKey, CancellationToken cancellationToken)
    {
        var parameters = VisitorKeyStore.SiteDayParameters(site, day);
        parameters["visitor_key"] = visitorKey.ToString(CultureInfo.InvariantCulture);
        return store.ExecuteAsync(StoreQueries.Get("privacy_forget_events"), parameters, cancellationToken);
    }

    // Keys exist for a site's today and yesterday; two UTC days back covers every time zone.
    private DateOnly Since() => DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime).AddDays(-2);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Deleted events of {Devices} forgotten devices that arrived after their forget request")]
        public static partial void LateArrivalsDeleted(ILogger logger, int devices);
    }
}
