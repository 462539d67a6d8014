using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Analytics.Storage;

/// <summary>
/// Writes <see cref="AnonymizedEvent"/> rows as JSONCompactEachRow lines (one array per row, in <see cref="ColumnList"/>
/// order). Without the keys the engine parses a block about twice as fast as JSONEachRow (measured: 200k rows, 1.1 s vs 2-3 s).
/// </summary>
internal static class EventRowWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // The reader is ClickHouse, not a browser: no need to escape HTML-sensitive or non-ASCII characters.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Columns of table <c>events</c> in the order <see cref="Write"/> emits them.</summary>
    public const string ColumnList =
        "site, event_id, type, ts, day, visitor_key, path, query, title, referrer_host, screen_class, lang, browser, " +
        "browser_version, os, device, country, is_bot, product_id, product_name, product_category, product_price, currency, " +
        "list_name, list_position, engaged_ms, scroll_pct";

    /// <summary>Appends one JSON array per row, each followed by a newline.</summary>
    public static void Write(IBufferWriter<byte> output, IReadOnlyList<AnonymizedEvent> rows)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        Span<byte> scratch = stackalloc byte[32];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            writer.WriteStartArray();
            writer.WriteStringValue(row.Site);
            writer.WriteStringValue(row.EventId);
            writer.WriteStringValue(row.Type);
            writer.WriteStringValue(Format(scratch, AsUtc(row.Timestamp), "yyyy-MM-dd HH:mm:ss.fff"));
            writer.WriteStringValue(Format(scratch, row.Day, "yyyy-MM-dd"));
            writer.WriteNumberValue(row.VisitorKey);
            writer.WriteStringValue(row.Path);
            writer.WriteStringValue(row.Query);
            writer.WriteStringValue(row.Title);
            writer.WriteStringValue(row.ReferrerHost);
            writer.WriteStringValue(row.ScreenClass);
            writer.WriteStringValue(row.Lang);
            writer.WriteStringValue(row.Browser);
            writer.WriteStringValue(row.BrowserVersion);
            writer.WriteStringValue(row.Os);
            writer.WriteStringValue(row.Device);
            writer.WriteStringValue(row.Country);
            writer.WriteBooleanValue(row.IsBot);
            writer.WriteStringValue(row.ProductId);
            writer.WriteStringValue(row.ProductName);
            writer.WriteStringValue(row.ProductCategory);
            writer.WriteNumberValue(row.ProductPrice);
            writer.WriteStringValue(row.Currency);
            writer.WriteStringValue(row.ListName);
            writer.WriteNumberValue(row.ListPosition);
            writer.WriteNumberValue(row.EngagedMs);
            writer.WriteNumberValue(row.ScrollPercent);
            writer.WriteEndArray();
            writer.Flush();
            output.Write("\n"u8);
            // Utf8JsonWriter accepts one root value; JSONCompactEachRow wants one per line.
            writer.Reset(output);
        }
    }

    private static DateTime AsUtc(DateTime timestamp) => timestamp.Kind switch
    {
        DateTimeKind.Local => timestamp.ToUniversalTime(),
        _ => timestamp,
    };

    private static ReadOnlySpan<byte> Format<T>(Span<byte> scratch, T value, string format) where T : IUtf8SpanFormattable =>
        value.TryFormat(scratch, out var written, format, CultureInfo.InvariantCulture)
            ? scratch[..written]
            : throw new FormatException("Timestamp did not fit its format.");
}
