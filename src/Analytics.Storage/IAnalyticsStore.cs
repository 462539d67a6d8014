using System.Text.Json;

namespace Analytics.Storage;

/// <summary>
/// One anonymized event, the only shape of event that reaches the store. Nothing here identifies a person: the
/// visitor key is a truncated HMAC under a daily key that is destroyed after 48 h, URLs and titles are scrubbed.
/// </summary>
public sealed record AnonymizedEvent
{
    public required string Site { get; init; }
    public required Guid EventId { get; init; }
    public required string Type { get; init; }
    /// <summary>Event time (client time, clamped), UTC.</summary>
    public required DateTime Timestamp { get; init; }
    /// <summary>The site-local day the event belongs to.</summary>
    public required DateOnly Day { get; init; }
    /// <summary>Truncated HMAC-SHA256 of site, IP and UA under the day's key; 0 when no key exists for that day.</summary>
    public required ulong VisitorKey { get; init; }
    public required string Path { get; init; }
    /// <summary>Allowed query parameters only (<c>utm_*</c>, <c>ref</c>), normalized, without the leading '?'.</summary>
    public string Query { get; init; } = "";
    public string Title { get; init; } = "";
    public string ReferrerHost { get; init; } = "";
    public string ScreenClass { get; init; } = "";
    public string Lang { get; init; } = "";
    public string Browser { get; init; } = "";
    public string BrowserVersion { get; init; } = "";
    public string Os { get; init; } = "";
    public string Device { get; init; } = "";
    public string Country { get; init; } = "";
    public bool IsBot { get; init; }
    public string ProductId { get; init; } = "";
    public string ProductName { get; init; } = "";
    public string ProductCategory { get; init; } = "";
    public decimal ProductPrice { get; init; }
    public string Currency { get; init; } = "";
    /// <summary>List name for <c>list_impression</c>/<c>list_click</c> (the listed product is <see cref="ProductId"/>).</summary>
    public string ListName { get; init; } = "";
    /// <summary>1-based position in the list; 0 when not a list event.</summary>
    public ushort ListPosition { get; init; }
    /// <summary>Visible time of the page left, for <c>engagement</c>.</summary>
    public uint EngagedMs { get; init; }
    /// <summary>Deepest scroll of the page left (0–100), for <c>engagement</c>.</summary>
    public byte ScrollPercent { get; init; }
}

/// <summary>The analytics store: chDB embedded or a ClickHouse server, same SQL.</summary>
public interface IAnalyticsStore
{
    /// <summary>Applies the numbered migrations not yet applied. Idempotent.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts <paramref name="rows"/> as one block. A second call with the same <paramref name="deduplicationToken"/>
    /// is dropped by the engine, in the events table and in every aggregate fed by it.
    /// </summary>
    Task InsertEventsAsync(IReadOnlyList<AnonymizedEvent> rows, string deduplicationToken, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a read query with <c>{name:Type}</c> parameters bound by the engine (never interpolated) and returns its
    /// rows as JSON objects.
    /// </summary>
    Task<IReadOnlyList<JsonElement>> QueryAsync(string sql, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken);

    /// <summary>Runs a statement that returns nothing (DDL, ALTER ... DELETE).</summary>
    Task ExecuteAsync(string sql, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken);
}
