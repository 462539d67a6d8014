using System.Buffers;
using Analytics.Contracts;
using Analytics.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Collector;

/// <summary>HTTP surface of the collector: <c>POST /v1/events</c> and <c>GET /beacon.js</c>.</summary>
public static partial class CollectorEndpoints
{
    /// <summary>Problem type URIs, one per reason a batch is refused (documented in docs/events.md).</summary>
    public static class ProblemTypes
    {
        public const string Prefix = "https://analytics.invalid/problems/";
        public const string UnsupportedMediaType = Prefix + "unsupported-media-type";
        public const string BodyTooLarge = Prefix + "body-too-large";
        public const string MalformedJson = Prefix + "malformed-json";
        public const string InvalidBatch = Prefix + "invalid-batch";
        public const string TooManyEvents = Prefix + "too-many-events";
        public const string UnknownSite = Prefix + "unknown-site";
        public const string NoValidEvents = Prefix + "no-valid-events";
        public const string Overloaded = Prefix + "overloaded";
        public const string OriginNotAllowed = Prefix + "origin-not-allowed";
    }

    /// <summary>Maps the collector's routes.</summary>
    public static IEndpointRouteBuilder MapCollectorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/events", HandleEventsAsync).DisableAntiforgery();
        app.MapGet("/beacon.js", BeaconScript.Serve);
        return app;
    }

    internal static async Task<IResult> HandleEventsAsync(
        HttpContext http,
        IEventTransport transport,
        SiteRegistry sites,
        IOptions<CollectorOptions> options,
        CollectorMetrics metrics,
        ClientAddress clientAddress,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var opts = options.Value;
        var request = http.Request;

        if (!IsAcceptedContentType(request.ContentType))
        {
            return Refuse(metrics, "unsupported_media_type", StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType,
                "Unsupported content type", "Send the batch as application/json or text/plain.");
        }
        if (request.ContentLength > opts.MaxBodyBytes)
        {
            return Refuse(metrics, "body_too_large", StatusCodes.Status413PayloadTooLarge, ProblemTypes.BodyTooLarge,
                "Body too large", $"A batch may be at most {opts.MaxBodyBytes} bytes.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent(opts.MaxBodyBytes + 1);
        try
        {
            var length = await ReadBoundedAsync(request.Body, buffer, opts.MaxBodyBytes + 1, cancellationToken);
            if (length > opts.MaxBodyBytes)
            {
                return Refuse(metrics, "body_too_large", StatusCodes.Status413PayloadTooLarge, ProblemTypes.BodyTooLarge,
                    "Body too large", $"A batch may be at most {opts.MaxBodyBytes} bytes.");
            }

            var error = BatchParser.TryParse(buffer.AsMemory(0, length), opts.MaxEventsPerBatch, out var batch);
            switch (error)
            {
                case BatchError.MalformedJson:
                    return Refuse(metrics, "malformed_json", 400, ProblemTypes.MalformedJson, "Malformed JSON", "The body is not valid JSON.");
                case BatchError.NotAnObject:
                    return Refuse(metrics, "invalid_batch", 400, ProblemTypes.InvalidBatch, "Invalid batch", "The body must be a JSON object {\"site\": ..., \"events\": [...]}.");
                case BatchError.MissingSite:
                    return Refuse(metrics, "invalid_batch", 400, ProblemTypes.InvalidBatch, "Invalid batch", "\"site\" must be a non-empty string of at most 64 characters.");
                case BatchError.EventsNotArray:
                    return Refuse(metrics, "invalid_batch", 400, ProblemTypes.InvalidBatch, "Invalid batch", "\"events\" must be an array.");
                case BatchError.TooManyEvents:
                    return Refuse(metrics, "too_many_events", StatusCodes.Status413PayloadTooLarge, ProblemTypes.TooManyEvents,
                        "Too many events", $"A batch may hold at most {opts.MaxEventsPerBatch} events.");
            }

            if (!sites.TryGet(batch!.Site, out var site))
            {
                return Refuse(metrics, "unknown_site", 400, ProblemTypes.UnknownSite, "Unknown site", "The site is not configured on this collector.");
            }
            if (!OriginAllowed(site, request.Headers.Origin))
            {
                return Refuse(metrics, "origin_not_allowed", StatusCodes.Status403Forbidden, ProblemTypes.OriginNotAllowed,
                    "Origin not allowed", "This site does not accept events from that origin.");
            }

            foreach (var r in batch.Rejected) metrics.Rejected(r.Reason);

            var consentSignal = ConsentSignal(site, request.Headers);
            if (consentSignal is not null)
            {
                // The browser asked not to be tracked: nothing leaves this process; only a count is kept.
                metrics.ConsentDropped(batch.Events.Count, consentSignal);
                return Results.Json(new BatchAnswer(0, batch.Rejected, batch.Events.Count), CollectorJsonContext.Default.BatchAnswer,
                    statusCode: StatusCodes.Status202Accepted);
            }

            if (batch.Events.Count == 0)
            {
                if (batch.Rejected.Count == 0)
                {
                    return Results.Json(new BatchAnswer(0, [], 0), CollectorJsonContext.Default.BatchAnswer, statusCode: StatusCodes.Status202Accepted);
                }
                metrics.BatchRefused("no_valid_events");
                return Results.Problem(
                    statusCode: 400, type: ProblemTypes.NoValidEvents, title: "No valid events",
                    detail: "Every event of the batch was refused; see 'rejected'.",
                    extensions: new Dictionary<string, object?> { ["rejected"] = batch.Rejected });
            }

            var receivedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
            var clientIp = clientAddress.Resolve(http.Connection.RemoteIpAddress, request.Headers["X-Forwarded-For"].ToString());
            var userAgent = request.Headers.UserAgent.ToString();
            var collected = new CollectedEvent[batch.Events.Count];
            var clamped = 0;
            var minTs = receivedAt - (long)opts.MaxClientLag.TotalMilliseconds;
            var maxTs = receivedAt + (long)opts.MaxClientLead.TotalMilliseconds;
            for (var i = 0; i < collected.Length; i++)
            {
                var e = batch.Events[i];
                var ts = e.TimestampMs;
                if (ts < minTs || ts > maxTs)
                {
                    ts = receivedAt;
                    clamped++;
                }
                collected[i] = new CollectedEvent
                {
                    Site = site.Id,
                    Type = e.Type,
                    EventId = e.Id,
                    TimestampMs = ts,
                    ReceivedAtMs = receivedAt,
                    Url = e.Url,
                    Referrer = e.Referrer,
                    Title = e.Title,
                    Screen = e.Screen,
                    Lang = e.Lang,
                    Product = e.Product,
                    List = e.List,
                    Engagement = e.Engagement,
                    ClientIp = clientIp,
                    UserAgent = userAgent,
                };
            }
            if (clamped > 0) metrics.Clamped(clamped);

            var status = await transport.PublishAsync(collected, cancellationToken);
            if (status != PublishStatus.Accepted)
            {
                metrics.Backpressure(status.ToString());
                Log.TransportRefused(loggers.CreateLogger("Analytics.Collector"), status.ToString(), collected.Length);
                http.Response.Headers.RetryAfter = opts.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, type: ProblemTypes.Overloaded,
                    title: "Pipeline busy", detail: "Nothing of this batch was kept; retry after the delay in Retry-After.");
            }
            metrics.Accepted(collected.Length);
            return Results.Json(new BatchAnswer(collected.Length, batch.Rejected, 0), CollectorJsonContext.Default.BatchAnswer,
                statusCode: StatusCodes.Status202Accepted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IResult Refuse(CollectorMetrics metrics, string reason, int status, string type, string title, string detail)
    {
        metrics.BatchRefused(reason);
        return Results.Problem(statusCode: status, type: type, title: title, detail: detail);
    }

    private static bool IsAcceptedContentType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var semi = contentType.IndexOf(';');
        var media = (semi >= 0 ? contentType[..semi] : contentType).Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
    }

    private static bool OriginAllowed(SiteOptions site, Microsoft.Extensions.Primitives.StringValues origin)
    {
        if (site.Origins.Count == 0 || origin.Count == 0) return true;
        var o = origin.ToString();
        foreach (var allowed in site.Origins)
        {
            if (string.Equals(allowed, o, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private static string? ConsentSignal(SiteOptions site, IHeaderDictionary headers)
    {
        if (site.HonorGlobalPrivacyControl && headers.TryGetValue("Sec-GPC", out var gpc) && gpc.ToString().Trim() == "1") return "gpc";
        if (site.HonorDoNotTrack && headers.TryGetValue("DNT", out var dnt) && dnt.ToString().Trim() == "1") return "dnt";
        return null;
    }

    private static async ValueTask<int> ReadBoundedAsync(Stream body, byte[] buffer, int limit, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < limit)
        {
            var n = await body.ReadAsync(buffer.AsMemory(total, limit - total), cancellationToken);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Transport refused a batch of {Count} events ({Status}); answered 503")]
        public static partial void TransportRefused(ILogger logger, string status, int count);
    }
}
