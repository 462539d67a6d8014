using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Contracts;
using Analytics.Privacy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Collector;

/// <summary>
/// The data subject's endpoints, public like the collector and reachable from the beacon without a CORS preflight:
/// <c>POST /v1/privacy/forget</c> (body <c>{"site":"demo"}</c> as text/plain or JSON) and
/// <c>GET /v1/privacy/what-we-hold?site=demo</c>. The requester is the device asking — site, client IP and User-Agent,
/// resolved exactly as for events — and the answer comes from <see cref="IVisitorRights"/> (the anonymizer, which holds
/// the day keys); this side never touches the store. Requests are logged without IP, User-Agent or visitor key.
/// </summary>
public static partial class PrivacyEndpoints
{
    /// <summary>Problem type URIs of the privacy endpoints.</summary>
    public static class ProblemTypes
    {
        public const string InvalidRequest = CollectorEndpoints.ProblemTypes.Prefix + "invalid-privacy-request";
        public const string Unavailable = CollectorEndpoints.ProblemTypes.Prefix + "privacy-unavailable";
    }

    private const int MaxBodyBytes = 1024;

    /// <summary>Retention as promised (and enforced by the schema's TTLs and the key lifecycle; docs/retention.md).</summary>
    internal static readonly RetentionAnswer Retention = new(
        VisitorKeyHours: 48, EventsDays: 30, AggregatesMonths: 25, RawTransportHours: 24);

    /// <summary>What every stored event holds; none of it is an IP, a User-Agent or a raw URL.</summary>
    internal static readonly string[] FieldsHeld =
    [
        "site", "event type", "time", "day", "visitor key (a daily pseudonym from IP + User-Agent; the IP and User-Agent themselves are not stored)",
        "page path and title (scrubbed)", "allowed campaign parameters (utm_*, ref)", "referring host", "screen size class", "language (en-US)",
        "browser family and major version", "OS family", "device class", "country", "bot verdict", "product id, name, category, price",
        "product list and position", "visible time and scroll depth",
    ];

    /// <summary>Maps the privacy routes (anonymous by design: the device is the requester).</summary>
    public static IEndpointRouteBuilder MapPrivacyEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/privacy");
        group.MapPost("/forget", ForgetAsync).DisableAntiforgery().AllowAnonymous();
        group.MapGet("/what-we-hold", WhatWeHoldAsync).AllowAnonymous();
        return app;
    }

    internal static async Task<IResult> ForgetAsync(HttpContext http, SiteRegistry sites, ClientAddress clientAddress, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var site = await ReadSiteAsync(http.Request, cancellationToken);
        if (Check(http, sites, site, out var rights) is { } problem) return problem;
        var outcome = await rights!.ForgetAsync(Requester(http, clientAddress, site!), cancellationToken);
        Log.Handled(loggers.CreateLogger("Analytics.Collector.Privacy"), "forget", site!);
        var summary = outcome.Days.Count == 0
            ? "Nothing could be linked to this device, so nothing was deleted."
            : $"Deleted {outcome.EventsDeleted} stored event(s) of this device (browser on this network) from {Days(outcome.Days)}. " +
              "Its further visits today are not recorded. Counts already added to daily totals stay as anonymous numbers.";
        return Results.Json(new ForgetAnswer(site!, true, outcome.EventsDeleted, outcome.Days.Select(Iso).ToArray(), summary),
            PrivacyJsonContext.Default.ForgetAnswer);
    }

    internal static async Task<IResult> WhatWeHoldAsync(HttpContext http, SiteRegistry sites, ClientAddress clientAddress, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var site = http.Request.Query["site"].ToString();
        if (Check(http, sites, site, out var rights) is { } problem) return problem;
        var held = await rights!.WhatWeHoldAsync(Requester(http, clientAddress, site), cancellationToken);
        Log.Handled(loggers.CreateLogger("Analytics.Collector.Privacy"), "what_we_hold", site);
        var total = held.Days.Sum(d => d.Events);
        var aboutYou = total == 0
            ? "We hold no events linked to this device (this browser on this network)."
            : $"We hold {total} event(s) linked to this device (this browser on this network): " +
              string.Join(", ", held.Days.Where(d => d.Events > 0).Select(d => $"{d.Events} on {Iso(d.Day)}")) + ".";
        if (held.Days.Any(d => d.Excluded)) aboutYou += " You asked us to forget this device today; its further visits are not recorded.";
        var summary = aboutYou +
            " They are linked by a daily pseudonym computed from your IP address and browser with a secret key that is destroyed after 48 hours;" +
            " we never store the IP address or the browser string. After that, nothing we hold can be linked to you: events are kept 30 days" +
            " and daily totals 25 months, without any identifier. You can delete this device's events with POST /v1/privacy/forget.";
        var answer = new WhatWeHoldAnswer(
            site,
            new AboutDevice(total, held.Days.Select(d => new HeldDayAnswer(Iso(d.Day), d.Events, d.Excluded)).ToArray()),
            FieldsHeld,
            Retention,
            "Pages and products viewed, without anything that identifies a person: no cookies, no IP address, no User-Agent, " +
            "no raw URL or query string; the daily pseudonym becomes unlinkable when its key is destroyed (48 h). " +
            "Browsers sending Global Privacy Control or Do Not Track are not recorded at all.",
            summary);
        return Results.Json(answer, PrivacyJsonContext.Default.WhatWeHoldAnswer);
    }

    private static IResult? Check(HttpContext http, SiteRegistry sites, string? site, out IVisitorRights? rights)
    {
        rights = null;
        if (string.IsNullOrEmpty(site) || !sites.TryGet(site, out var options))
        {
            return Results.Problem(statusCode: 400, type: ProblemTypes.InvalidRequest, title: "Invalid request",
                detail: "Name a configured site: {\"site\": \"...\"} in the body (forget) or ?site=... (what-we-hold).");
        }

        // Readable from the shop's pages: a simple request (GET, or POST text/plain) needs no preflight, only this.
        var origin = http.Request.Headers.Origin.ToString();
        if (options.Origins.Count == 0) http.Response.Headers.AccessControlAllowOrigin = "*";
        else if (options.Origins.Contains(origin, StringComparer.OrdinalIgnoreCase)) http.Response.Headers.AccessControlAllowOrigin = origin;
        http.Response.Headers.CacheControl = "no-store";

        rights = http.RequestServices.GetService<IVisitorRights>();
        return rights is null
            ? Results.Problem(statusCode: 503, type: ProblemTypes.Unavailable, title: "Unavailable",
                detail: "This collector is not composed with the anonymizer that answers privacy requests.")
            : null;
    }

    private static VisitorIdentity Requester(HttpContext http, ClientAddress clientAddress, string site) =>
        new(site, clientAddress.Resolve(http.Connection.RemoteIpAddress, http.Request.Headers["X-Forwarded-For"].ToString()),
            http.Request.Headers.UserAgent.ToString());

    private static async Task<string?> ReadSiteAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.Query["site"].ToString() is { Length: > 0 } fromQuery) return fromQuery;
        var buffer = new byte[MaxBodyBytes + 1];
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken);
            if (n == 0) break;
            total += n;
        }

        if (total == 0 || total > MaxBodyBytes) return null;
        try
        {
            using var json = JsonDocument.Parse(buffer.AsMemory(0, total));
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("site", out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString()
                : null;
        }
        catch (JsonException)
        {
            // text/plain may also be the bare site id.
            var text = Encoding.UTF8.GetString(buffer, 0, total).Trim();
            return text.Length is > 0 and <= 64 && !text.Contains('{', StringComparison.Ordinal) ? text : null;
        }
    }

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Days(IReadOnlyList<DateOnly> days) => string.Join(" and ", days.Select(Iso));

    private static partial class Log
    {
        // The site and the kind of request only: no IP, no User-Agent, no visitor key.
        [LoggerMessage(1, LogLevel.Information, "Privacy request {Kind} for site {Site} answered")]
        public static partial void Handled(ILogger logger, string kind, string site);
    }
}

internal sealed record ForgetAnswer(string Site, bool Forgotten, long EventsDeleted, string[] Days, string Summary);

internal sealed record RetentionAnswer(int VisitorKeyHours, int EventsDays, int AggregatesMonths, int RawTransportHours);

internal sealed record HeldDayAnswer(string Day, long Events, bool Excluded);

internal sealed record AboutDevice(long Events, HeldDayAnswer[] Days);

internal sealed record WhatWeHoldAnswer(string Site, AboutDevice AboutThisDevice, string[] FieldsPerEvent, RetentionAnswer Retention, string CollectedInGeneral, string Summary);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ForgetAnswer))]
[JsonSerializable(typeof(WhatWeHoldAnswer))]
internal sealed partial class PrivacyJsonContext : JsonSerializerContext;
