using System.Net;
using Analytics.Contracts;
using Analytics.Privacy;
using Analytics.Storage;

namespace Analytics.Anonymizer;

/// <summary>
/// Enrich, then forget: derives everything the store keeps from an identifying <see cref="CollectedEvent"/> (visitor
/// key, bot verdict, browser/OS/device class, country) and returns a row that holds no IP, no User-Agent, no raw URL.
/// </summary>
public sealed class EventAnonymizer
{
    private readonly DailyKeyRing _keys;
    private readonly SiteRegistry _sites;
    private readonly IpRangeList _botRanges;
    private readonly ScrubCounters _counters;
    private readonly Func<IPAddress, string>? _country;

    public EventAnonymizer(DailyKeyRing keys, SiteRegistry sites, IpRangeList botRanges, ScrubCounters counters, Func<IPAddress, string>? country = null)
    {
        _keys = keys;
        _sites = sites;
        _botRanges = botRanges;
        _counters = counters;
        _country = country;
    }

    /// <summary>Events whose day had no visitor key any more (late events): stored without a visitor key.</summary>
    public long LateEvents => Interlocked.Read(ref _late);

    private long _late;

    public AnonymizedEvent Anonymize(CollectedEvent e)
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(e.TimestampMs);
        var day = SiteDay.For(at, _sites.TimeZoneOf(e.Site));

        ulong visitor = 0;
        if (_keys.TryGetKey(e.Site, day, out var key)) visitor = VisitorHasher.Compute(key.Span, e.Site, e.ClientIp, e.UserAgent);
        else Interlocked.Increment(ref _late);

        var ip = IPAddress.TryParse(e.ClientIp, out var parsed) ? parsed : null;
        var ua = UserAgentReducer.Reduce(e.UserAgent);
        // Reduce reports device "bot" exactly when BotDetector.IsBot says so (and memoises both), so the UA rules run
        // once per distinct User-Agent instead of twice per event.
        var isBot = ua.Device == "bot" || (ip is not null && _botRanges.Contains(ip));
        var country = ip is not null && _country is not null ? _country(ip) : "";
        var url = UrlScrubber.Scrub(e.Url, _counters);
        var product = e.Product;
        var list = e.List;

        return new AnonymizedEvent
        {
            Site = e.Site,
            EventId = e.EventId,
            Type = e.Type,
            Timestamp = at.UtcDateTime,
            Day = day,
            VisitorKey = visitor,
            Path = url.Path,
            Query = url.Query,
            Title = TextScrubber.Scrub(e.Title, _counters),
            ReferrerHost = ReferrerReducer.Host(e.Referrer),
            ScreenClass = ScreenClassifier.Classify(e.Screen),
            Lang = NormalizeLang(e.Lang),
            Browser = ua.Browser,
            BrowserVersion = ua.BrowserVersion,
            Os = ua.Os,
            Device = isBot ? "bot" : ua.Device,
            Country = country,
            IsBot = isBot,
            ProductId = product?.Id ?? list?.ProductId ?? "",
            ProductName = product?.Name is null ? "" : TextScrubber.Scrub(product.Name, _counters),
            ProductCategory = product?.Category is null ? "" : TextScrubber.Scrub(product.Category, _counters),
            ProductPrice = product?.Price ?? 0m,
            Currency = product?.Currency ?? "",
            ListName = list is null ? "" : TextScrubber.Scrub(list.Name, _counters),
            ListPosition = (ushort)(list?.Position ?? 0),
            EngagedMs = (uint)Math.Min(e.Engagement?.VisibleMs ?? 0, uint.MaxValue),
            ScrollPercent = (byte)(e.Engagement?.MaxScrollPercent ?? 0),
        };
    }

    /// <summary>Keeps the primary language tag and region only (<c>en-US</c>), nothing finer.</summary>
    internal static string NormalizeLang(string lang)
    {
        if (IsCanonicalLang(lang)) return lang; // what browsers send ("en", "en-GB"): kept as is, no allocation
        if (string.IsNullOrWhiteSpace(lang)) return "";
        var parts = lang.Split('-', 3);
        var primary = parts[0].Trim().ToLowerInvariant();
        if (primary.Length is < 2 or > 3 || !primary.All(char.IsAsciiLetterLower)) return "";
        if (parts.Length > 1 && parts[1].Length == 2 && parts[1].All(char.IsAsciiLetter)) return primary + "-" + parts[1].ToUpperInvariant();
        return primary;
    }

    // Exactly the shapes NormalizeLang returns unchanged: 2-3 lower-case ASCII letters, optionally "-" and 2 upper-case.
    private static bool IsCanonicalLang(string lang)
    {
        var dash = lang.IndexOf('-');
        var primary = dash < 0 ? lang.AsSpan() : lang.AsSpan(0, dash);
        if (primary.Length is < 2 or > 3 || primary.ContainsAnyExceptInRange('a', 'z')) return false;
        if (dash < 0) return true;
        var region = lang.AsSpan(dash + 1);
        return region.Length == 2 && !region.ContainsAnyExceptInRange('A', 'Z');
    }
}
