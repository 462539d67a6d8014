using System.Net;
using System.Text.Json;

namespace Analytics.Cli;

/// <summary>The collector's answer to a 202: <c>{"accepted":N,"rejected":[{"index":i,"reason":"…"}],"consent_dropped":M}</c>.</summary>
public sealed record CollectorAnswer(int Accepted, IReadOnlyList<int> RejectedIndexes, int ConsentDropped);

/// <summary>HTTP plumbing shared by <c>simulate</c> and <c>bench</c>, so both drive the collector with one client configuration.</summary>
public static class CollectorHttp
{
    /// <summary>
    /// A client tuned for load generation: HTTP/1.1, one pooled connection per concurrent request, no cookies, proxy,
    /// redirects or decompression. <c>bench</c> builds one per target with this same method.
    /// </summary>
    public static HttpClient CreateClient(int concurrency, TimeSpan? timeout = null) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, concurrency),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
        })
        {
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

    /// <summary><c>http://host:port</c> → <c>http://host:port/v1/events</c>; a URL with a path is taken as the endpoint itself.</summary>
    public static Uri EventsEndpoint(Uri url) =>
        url.AbsolutePath is "" or "/" ? new Uri(url, "/v1/events") : url;

    /// <summary>Scheme, host and port of <paramref name="url"/>: where the stats API lives beside the collector.</summary>
    public static Uri Origin(Uri url) => new(url.GetLeftPart(UriPartial.Authority) + "/");

    /// <summary>A POST of <paramref name="request"/> with the visitor's headers; a new message per attempt (messages are single-use).</summary>
    public static HttpRequestMessage CreateMessage(Uri endpoint, SimulatedRequest request)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ReadOnlyMemoryContent(request.Body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        foreach (var (name, value) in request.Headers()) message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    /// <summary>Delay a 503 asks for: Retry-After as seconds or HTTP date, else <paramref name="fallback"/>; capped at 60 s.</summary>
    public static TimeSpan RetryAfter(HttpResponseMessage response, TimeSpan fallback, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - now : fallback);
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        return delay > TimeSpan.FromSeconds(60) ? TimeSpan.FromSeconds(60) : delay;
    }

    /// <summary>Reads a 202 body; tolerant of missing fields (an empty body means nothing is known).</summary>
    public static CollectorAnswer ParseAnswer(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty) return new CollectorAnswer(0, [], 0);
        var reader = new Utf8JsonReader(json);
        int accepted = 0, dropped = 0;
        List<int>? rejected = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return new CollectorAnswer(0, [], 0);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("accepted"u8)) { reader.Read(); accepted = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0; }
            else if (reader.ValueTextEquals("consent_dropped"u8)) { reader.Read(); dropped = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0; }
            else if (reader.ValueTextEquals("rejected"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray) { reader.Skip(); continue; }
                rejected = [];
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isIndex = reader.ValueTextEquals("index"u8);
                        reader.Read();
                        if (isIndex && reader.TokenType == JsonTokenType.Number) rejected.Add(reader.GetInt32());
                        else reader.Skip();
                    }
                }
            }
            else { reader.Read(); reader.Skip(); }
        }
        return new CollectorAnswer(accepted, (IReadOnlyList<int>?)rejected ?? [], dropped);
    }
}
