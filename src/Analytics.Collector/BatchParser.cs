using System.Text.Json;
using Analytics.Contracts;

namespace Analytics.Collector;

/// <summary>Why a whole batch was refused. Each value maps to a stable problem type.</summary>
public enum BatchError
{
    None,
    MalformedJson,
    NotAnObject,
    MissingSite,
    EventsNotArray,
    TooManyEvents,
}

/// <summary>One event of a batch that was refused, by its index in the batch.</summary>
public sealed record RejectedEvent(int Index, string Reason);

/// <summary>Client fields of a valid event, before the collector adds what the request knows.</summary>
public sealed record ClientEvent(string Type, Guid Id, long TimestampMs, string Url, string Referrer, string Title, string Screen, string Lang, ProductInfo? Product, ListItem? List = null, Engagement? Engagement = null);

/// <summary>The parsed batch: the valid events and the refused ones.</summary>
public sealed record ParsedBatch(string Site, IReadOnlyList<ClientEvent> Events, IReadOnlyList<RejectedEvent> Rejected);

/// <summary>Validates a batch against event contract v1 (docs/events.md). Pure: no I/O, no clock.</summary>
public static class BatchParser
{
    public const int MaxUrlLength = 2048;
    public const int MaxTitleLength = 512;
    public const int MaxShortLength = 64;
    public const int MaxProductField = 256;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    /// <summary>Parses <paramref name="body"/>; on a batch-level error returns it and no batch.</summary>
    public static BatchError TryParse(ReadOnlyMemory<byte> body, int maxEvents, out ParsedBatch? batch)
    {
        batch = null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException)
        {
            return BatchError.MalformedJson;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return BatchError.NotAnObject;
            if (!root.TryGetProperty("site"u8, out var siteEl) || siteEl.ValueKind != JsonValueKind.String ||
                siteEl.GetString() is not { Length: > 0 and <= MaxShortLength } site)
            {
                return BatchError.MissingSite;
            }
            if (!root.TryGetProperty("events"u8, out var eventsEl) || eventsEl.ValueKind != JsonValueKind.Array) return BatchError.EventsNotArray;
            var count = eventsEl.GetArrayLength();
            if (count > maxEvents) return BatchError.TooManyEvents;

            var events = new List<ClientEvent>(count);
            List<RejectedEvent>? rejected = null; // most batches have none: no list for them
            var index = 0;
            foreach (var el in eventsEl.EnumerateArray())
            {
                var reason = TryReadEvent(el, out var ev);
                if (reason is null) events.Add(ev!);
                else (rejected ??= []).Add(new RejectedEvent(index, reason));
                index++;
            }
            batch = new ParsedBatch(site, events, rejected ?? (IReadOnlyList<RejectedEvent>)[]);
            return BatchError.None;
        }
    }

    /// <summary>Reads one event; returns null when valid, else the rejection reason.</summary>
    private static string? TryReadEvent(JsonElement el, out ClientEvent? ev)
    {
        ev = null;
        if (el.ValueKind != JsonValueKind.Object) return "not_an_object";

        if (!TryString(el, "type"u8, MaxShortLength, required: true, out var type)) return "invalid_type";
        if (!EventTypes.IsKnown(type)) return "unknown_type";
        if (!TryString(el, "id"u8, MaxShortLength, required: true, out var idText) || !Guid.TryParse(idText, out var id)) return "invalid_id";
        if (!el.TryGetProperty("ts"u8, out var tsEl) || tsEl.ValueKind != JsonValueKind.Number || !tsEl.TryGetInt64(out var ts) || ts <= 0) return "invalid_ts";
        if (!TryString(el, "url"u8, MaxUrlLength, required: true, out var url) || !IsHttpUrl(url)) return "invalid_url";
        if (!TryString(el, "referrer"u8, MaxUrlLength, required: false, out var referrer)) return "invalid_referrer";
        if (!TryString(el, "title"u8, MaxTitleLength, required: false, out var title)) return "invalid_title";
        if (!TryString(el, "screen"u8, MaxShortLength, required: false, out var screen)) return "invalid_screen";
        if (!TryString(el, "lang"u8, MaxShortLength, required: false, out var lang)) return "invalid_lang";

        ProductInfo? product = null;
        if (type == EventTypes.ProductView)
        {
            if (!el.TryGetProperty("product"u8, out var p) || p.ValueKind != JsonValueKind.Object) return "missing_product";
            if (!TryString(p, "id"u8, 128, required: true, out var pid)) return "invalid_product_id";
            if (!TryString(p, "name"u8, MaxProductField, required: false, out var pname)) return "invalid_product_name";
            if (!TryString(p, "category"u8, MaxProductField, required: false, out var pcat)) return "invalid_product_category";
            decimal? price = null;
            if (p.TryGetProperty("price"u8, out var priceEl) && priceEl.ValueKind != JsonValueKind.Null)
            {
                if (priceEl.ValueKind != JsonValueKind.Number || !priceEl.TryGetDecimal(out var pr) || pr < 0 || pr > 10_000_000) return "invalid_product_price";
                price = pr;
            }
            if (!TryString(p, "currency"u8, 3, required: false, out var currency) || (currency.Length is not (0 or 3))) return "invalid_product_currency";
            product = new ProductInfo(pid, pname, pcat, price, currency.ToUpperInvariant());
        }

        ListItem? list = null;
        if (type is EventTypes.ListImpression or EventTypes.ListClick)
        {
            if (!el.TryGetProperty("list"u8, out var l) || l.ValueKind != JsonValueKind.Object) return "missing_list";
            if (!TryString(l, "name"u8, MaxShortLength, required: true, out var listName)) return "invalid_list_name";
            if (!TryString(l, "product_id"u8, 128, required: true, out var listProduct)) return "invalid_list_product_id";
            if (!l.TryGetProperty("position"u8, out var posEl) || posEl.ValueKind != JsonValueKind.Number || !posEl.TryGetInt32(out var position) || position is < 1 or > 1000) return "invalid_list_position";
            list = new ListItem(listName, listProduct, position);
        }

        Engagement? engagement = null;
        if (type == EventTypes.Engagement)
        {
            if (!el.TryGetProperty("engagement"u8, out var g) || g.ValueKind != JsonValueKind.Object) return "missing_engagement";
            if (!g.TryGetProperty("visible_ms"u8, out var vEl) || vEl.ValueKind != JsonValueKind.Number || !vEl.TryGetInt64(out var visible) || visible is < 0 or > 86_400_000) return "invalid_engagement_visible_ms";
            var scroll = 0;
            if (g.TryGetProperty("max_scroll_pct"u8, out var sEl) && (sEl.ValueKind != JsonValueKind.Number || !sEl.TryGetInt32(out scroll) || scroll is < 0 or > 100)) return "invalid_engagement_scroll";
            engagement = new Engagement(visible, scroll);
        }

        ev = new ClientEvent(type, id, ts, url, referrer, title, screen, lang, product, list, engagement);
        return null;
    }

    private static bool TryString(JsonElement obj, ReadOnlySpan<byte> name, int maxLength, bool required, out string value)
    {
        value = "";
        if (!obj.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null) return !required;
        if (el.ValueKind != JsonValueKind.String) return false;
        value = el.GetString() ?? "";
        if (required && value.Length == 0) return false;
        return value.Length <= maxLength;
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
