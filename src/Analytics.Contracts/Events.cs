namespace Analytics.Contracts;

/// <summary>Event types of contract v1.</summary>
public static class EventTypes
{
    /// <summary>A page was shown.</summary>
    public const string PageView = "page_view";
    /// <summary>A product detail was shown; carries <see cref="ProductInfo"/>.</summary>
    public const string ProductView = "product_view";

    /// <summary>A product of a list (bestsellers, search results) became at least half visible; carries <see cref="ListItem"/>.</summary>
    public const string ListImpression = "list_impression";
    /// <summary>A product of a list was clicked; carries <see cref="ListItem"/>.</summary>
    public const string ListClick = "list_click";
    /// <summary>The visitor left a page: visible time and deepest scroll; carries <see cref="Engagement"/>.</summary>
    public const string Engagement = "engagement";

    /// <summary>Whether <paramref name="type"/> is a type this contract version knows.</summary>
    public static bool IsKnown(string type) => type is PageView or ProductView or ListImpression or ListClick or Engagement;
}

/// <summary>Where a product was shown in a list, for layout tuning (position is 1-based).</summary>
public sealed record ListItem(string Name, string ProductId, int Position);

/// <summary>How long a page was visible and how far it was scrolled (0–100 %).</summary>
public sealed record Engagement(long VisibleMs, int MaxScrollPercent);

/// <summary>The product a <c>product_view</c> refers to.</summary>
public sealed record ProductInfo(string Id, string? Name, string? Category, decimal? Price, string? Currency);

/// <summary>
/// One event as the collector accepted it: the client's fields after validation, plus what only the request knows
/// (receive time, client IP, User-Agent, consent signals). This record is identifying: it only ever travels from the
/// collector to the anonymizer through the transport and is never stored.
/// </summary>
public sealed record CollectedEvent
{
    public required string Site { get; init; }
    public required string Type { get; init; }
    public required Guid EventId { get; init; }
    /// <summary>Client time in Unix milliseconds, already clamped to <see cref="ReceivedAtMs"/> when implausible.</summary>
    public required long TimestampMs { get; init; }
    public required long ReceivedAtMs { get; init; }
    public required string Url { get; init; }
    public string Referrer { get; init; } = "";
    public string Title { get; init; } = "";
    public string Screen { get; init; } = "";
    public string Lang { get; init; } = "";
    public ProductInfo? Product { get; init; }
    public ListItem? List { get; init; }
    public Engagement? Engagement { get; init; }
    /// <summary>Client IP as text (IPv4 or IPv6). Identifying.</summary>
    public string ClientIp { get; init; } = "";
    /// <summary>Raw User-Agent header. Identifying.</summary>
    public string UserAgent { get; init; } = "";
}
