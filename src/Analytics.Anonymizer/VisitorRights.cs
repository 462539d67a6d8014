using System.Globalization;
using Analytics.Privacy;
using Analytics.Storage;
using Microsoft.Extensions.Logging;

namespace Analytics.Anonymizer;

/// <summary>
/// Forget and what-we-hold for the requesting device, answered where the day keys live. The device is found the way
/// the anonymizer found it: its visitor key of the day, from site, IP and User-Agent under that day's key. Only days
/// whose key still exists (today, yesterday) can be linked to the device at all; older events cannot, by design.
/// </summary>
public sealed partial class VisitorRights(
    VisitorKeyStore keys,
    ForgottenVisitors forgotten,
    IAnalyticsStore store,
    TimeProvider time,
    PrivacyMetrics metrics,
    ILogger<VisitorRights> logger) : IVisitorRights
{
    /// <inheritdoc />
    public async Task<ForgetOutcome> ForgetAsync(VisitorIdentity requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var days = KeyDays(requester.Site);
        // Keys are created if missing, so the device stays excluded even if it has sent nothing yet today.
        await keys.EnsureAsync(days.Select(d => (requester.Site, d)), cancellationToken);
        long deleted = 0;
        var found = new List<DateOnly>();
        foreach (var day in days)
        {
            if (VisitorKeyOf(requester, day) is not { } visitorKey) continue;
            found.Add(day);
            var parameters = Parameters(requester.Site, day, visitorKey);
            parameters["forgotten_at"] = VisitorKeyStore.DateTime64(time.GetUtcNow());
            // Mark first (every instance drops the device from now on), then delete what is already stored.
            await store.ExecuteAsync(StoreQueries.Get("privacy_forget_mark"), parameters, cancellationToken);
            forgotten.Add(requester.Site, day, visitorKey);
            var held = await CountAsync(requester.Site, day, visitorKey, cancellationToken);
            if (held > 0) await ForgottenVisitors.DeleteEventsAsync(store, requester.Site, day, visitorKey, cancellationToken);
            deleted += held;
        }

        metrics.Request("forget");
        metrics.EventsDeleted(deleted);
        Log.Forgot(logger, requester.Site, found.Count, deleted);
        return new ForgetOutcome(found, deleted);
    }

    /// <inheritdoc />
    public async Task<HeldAboutDevice> WhatWeHoldAsync(VisitorIdentity requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var held = new List<HeldDay>();
        foreach (var day in KeyDays(requester.Site))
        {
            // Read-only: no key is created to answer a question.
            if (!await keys.LoadAsync(requester.Site, day, cancellationToken)) continue;
            if (VisitorKeyOf(requester, day) is not { } visitorKey) continue;
            var events = await CountAsync(requester.Site, day, visitorKey, cancellationToken);
            held.Add(new HeldDay(day, events, forgotten.Contains(requester.Site, day, visitorKey)));
        }

        metrics.Request("what_we_hold");
        Log.Answered(logger, requester.Site, held.Count);
        return new HeldAboutDevice(held);
    }

    private DateOnly[] KeyDays(string site)
    {
        var today = keys.Ring.Today(site);
        return [today, today.AddDays(-1)];
    }

    private ulong? VisitorKeyOf(VisitorIdentity requester, DateOnly day) =>
        keys.Ring.TryGetKey(requester.Site, day, out var key)
            ? VisitorHasher.Compute(key.Span, requester.Site, requester.ClientIp, requester.UserAgent)
            : null;

    private async Task<long> CountAsync(string site, DateOnly day, ulong visitorKey, CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync(StoreQueries.Get("privacy_held"), Parameters(site, day, visitorKey), cancellationToken);
        return rows.Count == 0 ? 0 : rows[0].GetProperty("events").GetInt64();
    }

    private static Dictionary<string, string> Parameters(string site, DateOnly day, ulong visitorKey)
    {
        var parameters = VisitorKeyStore.SiteDayParameters(site, day);
        parameters["visitor_key"] = visitorKey.ToString(CultureInfo.InvariantCulture);
        return parameters;
    }

    // No IP, no User-Agent, no visitor key: the site and counts only.
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Forget request for site {Site}: {Days} days linkable, {Events} stored events deleted")]
        public static partial void Forgot(ILogger logger, string site, int days, long events);

        [LoggerMessage(2, LogLevel.Information, "What-we-hold request for site {Site}: {Days} days linkable")]
        public static partial void Answered(ILogger logger, string site, int days);
    }
}
