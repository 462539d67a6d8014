using System.Text.Json.Serialization;
using Analytics.Contracts;

namespace Analytics.Cli;

/// <summary>Why a visitor is or is not part of the ground truth.</summary>
public enum VisitorKind
{
    /// <summary>An ordinary shopper: counted.</summary>
    Human,
    /// <summary>A crawler or scripted client: stored by the pipeline, excluded from stats.</summary>
    Bot,
    /// <summary>A shopper whose browser sends <c>Sec-GPC: 1</c>: dropped by the collector.</summary>
    GlobalPrivacyControl,
    /// <summary>A shopper whose browser sends <c>DNT: 1</c>: dropped by the collector.</summary>
    DoNotTrack,
}

/// <summary>One simulated browser: what the collector sees of it is its IP (via X-Forwarded-For) and User-Agent.</summary>
public sealed record SimulatedVisitor(int Index, string ClientIp, string UserAgent, VisitorKind Kind, bool Mobile, string Screen, string Lang)
{
    /// <summary>Whether this visitor's events must be counted in stats.</summary>
    public bool Counted => Kind == VisitorKind.Human;
}

/// <summary>A piece of personal data planted on purpose, which must never reach storage in clear.</summary>
/// <param name="Kind">email, phone, ipv4, ipv6, uuid, hex_token, jwt, client_ip, user_agent.</param>
/// <param name="Value">The exact string as planted.</param>
/// <param name="Where">query, title, referrer, path, header.</param>
public sealed record Canary(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("where")] string Where);

/// <summary>One event as generated, with what the truth needs to know about it.</summary>
public sealed record SimulatedEvent(
    Guid Id,
    string Type,
    long TimestampMs,
    string Url,
    string Referrer,
    string Title,
    ProductInfo? Product)
{
    /// <summary>The URL's path without query string: the key the stats API reports.</summary>
    public required string Path { get; init; }

    /// <summary>Whether personal data was planted in the path itself (its stored path is a placeholder form).</summary>
    public bool PathHasPii { get; init; }
}

/// <summary>One POST to the collector: a beacon batch of one visitor, ready to send.</summary>
public sealed record SimulatedRequest
{
    /// <summary>Position in the generated stream, from 0.</summary>
    public required long Sequence { get; init; }
    public required SimulatedVisitor Visitor { get; init; }
    /// <summary><c>text/plain;charset=UTF-8</c> (sendBeacon) or <c>application/json</c>.</summary>
    public required string ContentType { get; init; }
    /// <summary>UTF-8 JSON body <c>{"site":…,"events":[…]}</c>.</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }
    public required IReadOnlyList<SimulatedEvent> Events { get; init; }
    /// <summary>Sequence of the request this one repeats with the same event ids, or null for an original.</summary>
    public long? RetryOf { get; init; }
    /// <summary>Canaries planted in this request's events (not the visitor's IP/UA; those are on <see cref="Visitor"/>).</summary>
    public IReadOnlyList<Canary> Canaries { get; init; } = [];

    /// <summary>Headers that make the collector see this visitor: X-Forwarded-For, User-Agent, and Sec-GPC/DNT.</summary>
    public IEnumerable<KeyValuePair<string, string>> Headers()
    {
        yield return new("X-Forwarded-For", Visitor.ClientIp);
        yield return new("User-Agent", Visitor.UserAgent);
        if (Visitor.Kind == VisitorKind.GlobalPrivacyControl) yield return new("Sec-GPC", "1");
        if (Visitor.Kind == VisitorKind.DoNotTrack) yield return new("DNT", "1");
    }
}
