using System.Globalization;
using System.Text;
using System.Text.Json;
using Analytics.Contracts;
using Analytics.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Analytics.Stats;

/// <summary>
/// The stats the merchandiser dashboard needs beyond pages, products and the timeseries: referrers, technology,
/// countries, engagement, list click-through, product detail with "viewed together", realtime, freshness, and CSV
/// exports of every table. Every row passed small-cell suppression (<see cref="StatsOptions.MinVisitors"/>); the
/// threshold is in <c>/v1/stats/meta</c> and in the <c>X-Min-Visitors</c> header of every answer.
/// </summary>
public static class DashboardStatsEndpoints
{
    /// <summary>Header carrying the suppression threshold on every dashboard stats answer.</summary>
    public const string MinVisitorsHeader = "X-Min-Visitors";

    /// <summary>How far back "realtime" looks.</summary>
    public static readonly TimeSpan RealtimeWindow = TimeSpan.FromMinutes(5);

    /// <summary>A table the dashboard shows and exports: its stored query, extra parameters, and CSV columns.</summary>
    internal sealed record Table(string Query, string[] Columns, string? Dimension = null, bool NeedsProduct = false, bool Realtime = false);

    /// <summary>Every exportable table by route name. The first three are the original stats endpoints' queries.</summary>
    internal static readonly IReadOnlyDictionary<string, Table> Tables = new Dictionary<string, Table>(StringComparer.Ordinal)
    {
        ["pages"] = new(StoreQueries.Pages, ["path", "views", "visitors"]),
        ["products"] = new(StoreQueries.Products, ["product_id", "name", "category", "views", "visitors"]),
        ["timeseries"] = new(StoreQueries.Timeseries, ["day", "page_views", "product_views", "visitors"]),
        ["referrers"] = new("dashboard_referrers", ["referrer_host", "page_views", "visitors"]),
        ["browsers"] = new("dashboard_tech", ["value", "page_views", "visitors"], Dimension: "browser"),
        ["os"] = new("dashboard_tech", ["value", "page_views", "visitors"], Dimension: "os"),
        ["devices"] = new("dashboard_tech", ["value", "page_views", "visitors"], Dimension: "device"),
        ["countries"] = new("dashboard_tech", ["value", "page_views", "visitors"], Dimension: "country"),
        ["engagement"] = new("dashboard_engagement", ["path", "engagements", "avg_visible_s", "avg_scroll_pct", "visitors"]),
        ["list-positions"] = new("dashboard_list_positions", ["list_name", "list_position", "impressions", "clicks", "ctr", "visitors"]),
        ["product-trends"] = new("dashboard_product_days", ["product_id", "day", "views", "visitors"]),
        ["viewed-together"] = new("dashboard_viewed_together", ["product_id", "name", "category", "visitors", "views"], NeedsProduct: true),
        ["realtime-pages"] = new("dashboard_realtime_pages", ["path", "views", "visitors"], Realtime: true),
    };

    /// <summary>
    /// Maps the dashboard's stats routes under <c>/v1/stats</c> (every table as JSON) and their CSV exports under
    /// <c>/v1/stats/export/NAME</c> (the original pages, products and timeseries included). CSV lives only under
    /// <c>export/</c> so that one policy on the returned <c>Export</c> group guards every bulk download.
    /// </summary>
    public static (RouteGroupBuilder Read, RouteGroupBuilder Export) MapDashboardStatsEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/v1/stats");
        read.AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<StatsOptions>>().Value;
            context.HttpContext.Response.Headers[MinVisitorsHeader] = options.MinVisitors.ToString(CultureInfo.InvariantCulture);
            return await next(context);
        });

        read.MapGet("/meta", Meta);
        read.MapGet("/summary", SummaryAsync);
        read.MapGet("/product", ProductAsync);
        read.MapGet("/realtime", RealtimeAsync);
        read.MapGet("/freshness", FreshnessAsync);
        foreach (var name in Tables.Keys.Where(n => n is not ("pages" or "products" or "timeseries")))
        {
            read.MapGet("/" + name, (HttpRequest r, StatsQueryService q, IAnalyticsStore s, TimeProvider time, CancellationToken ct) =>
                TableAsync(name, r, q, s, time, csv: false, ct));
        }

        var export = app.MapGroup("/v1/stats/export");
        export.AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<StatsOptions>>().Value;
            context.HttpContext.Response.Headers[MinVisitorsHeader] = options.MinVisitors.ToString(CultureInfo.InvariantCulture);
            return await next(context);
        });
        export.MapGet("/{name}", (string name, HttpRequest r, StatsQueryService q, IAnalyticsStore s, TimeProvider time, CancellationToken ct) =>
            Tables.ContainsKey(name)
                ? TableAsync(name, r, q, s, time, csv: true, ct)
                : Task.FromResult(Results.Problem(statusCode: 404, type: StatsEndpoints.ProblemTypes.InvalidQuery, title: "Unknown table",
                    detail: "Known tables: " + string.Join(", ", Tables.Keys) + ".")));
        return (read, export);
    }

    private static IResult Meta(SiteRegistry sites, IOptions<StatsOptions> options, TimeProvider time)
    {
        var o = options.Value;
        return Results.Json(new Dictionary<string, object>
        {
            ["min_visitors"] = o.MinVisitors,
            ["max_range_days"] = o.MaxRangeDays,
            ["max_rows"] = o.MaxRows,
            ["realtime_minutes"] = (int)RealtimeWindow.TotalMinutes,
            ["sites"] = sites.All.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => new Dictionary<string, string>
            {
                ["id"] = s.Id,
                ["time_zone"] = s.TimeZone,
                ["today"] = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), sites.TimeZoneOf(s.Id)).DateTime)
                    .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            }).ToList(),
        });
    }

    private static async Task<IResult> SummaryAsync(HttpRequest request, StatsQueryService queries, IAnalyticsStore store, IOptions<StatsOptions> options, CancellationToken ct)
    {
        if (!queries.TryValidate(request.Query, out var query, out var problem)) return problem!;
        var rows = await Run(store, queries, "dashboard_summary", query!, null, ct);
        return Single(rows, options.Value.MinVisitors, ["page_views", "product_views", "visitors"], new());
    }

    private static async Task<IResult> ProductAsync(HttpRequest request, StatsQueryService queries, IAnalyticsStore store, IOptions<StatsOptions> options, CancellationToken ct)
    {
        if (!queries.TryValidate(request.Query, out var query, out var problem)) return problem!;
        if (!TryProduct(request, out var productId, out problem)) return problem!;
        var rows = await Run(store, queries, "dashboard_product", query!, new() { ["product_id"] = productId }, ct);
        return Single(rows, options.Value.MinVisitors, ["product_id", "name", "category", "views", "visitors"], new() { ["product_id"] = productId });
    }

    private static async Task<IResult> RealtimeAsync(HttpRequest request, StatsQueryService queries, IAnalyticsStore store, IOptions<StatsOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (!queries.TryValidate(request.Query, out var query, out var problem)) return problem!;
        var since = time.GetUtcNow() - RealtimeWindow;
        var extra = new Dictionary<string, string> { ["since"] = DateTime64(since) };
        var totals = await Run(store, queries, "dashboard_realtime", query!, extra, ct);
        var pages = await Run(store, queries, "dashboard_realtime_pages", query!, extra, ct);
        var head = new Dictionary<string, object?>
        {
            ["window_minutes"] = (int)RealtimeWindow.TotalMinutes,
            ["since"] = since.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["pages"] = pages,
        };
        return Single(totals, options.Value.MinVisitors, ["page_views", "product_views", "visitors"], head);
    }

    private static async Task<IResult> FreshnessAsync(HttpRequest request, StatsQueryService queries, IAnalyticsStore store, TimeProvider time, CancellationToken ct)
    {
        if (!queries.TryValidate(request.Query, out var query, out var problem)) return problem!;
        var now = time.GetUtcNow();
        var rows = await Run(store, queries, "dashboard_freshness", query!, new() { ["since"] = DateTime64(now.AddHours(-1)) }, ct);
        var newestMs = rows.Count == 0 ? 0 : rows[0].GetProperty("newest_event_ms").GetInt64();
        var newest = newestMs == 0 ? (DateTimeOffset?)null : DateTimeOffset.FromUnixTimeMilliseconds(newestMs);
        return Results.Json(new Dictionary<string, object?>
        {
            ["newest_event"] = newest?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["age_seconds"] = newest is { } n ? Math.Max(0, (long)(now - n).TotalSeconds) : null,
            ["events_last_hour"] = rows.Count == 0 ? 0 : rows[0].GetProperty("events_last_hour").GetInt64(),
        });
    }

    private static async Task<IResult> TableAsync(string name, HttpRequest request, StatsQueryService queries, IAnalyticsStore store, TimeProvider time, bool csv, CancellationToken ct)
    {
        var table = Tables[name];
        if (!queries.TryValidate(request.Query, out var query, out var problem)) return problem!;
        var extra = new Dictionary<string, string>();
        if (table.Dimension is not null) extra["dimension"] = table.Dimension;
        if (table.Realtime) extra["since"] = DateTime64(time.GetUtcNow() - RealtimeWindow);
        if (table.NeedsProduct || name == "product-trends")
        {
            string productId = "";
            if ((table.NeedsProduct || request.Query.ContainsKey("product_id")) && !TryProduct(request, out productId, out problem)) return problem!;
            extra["product_id"] = productId;
        }

        var rows = await Run(store, queries, table.Query, query!, extra, ct);
        if (!csv) return Results.Json(rows);
        var file = string.Create(CultureInfo.InvariantCulture, $"{query!.Site}-{name}-{query.From:yyyy-MM-dd}-{query.To:yyyy-MM-dd}.csv");
        return Results.File(Encoding.UTF8.GetBytes(Csv.Write(table.Columns, rows)), "text/csv; charset=utf-8", file);
    }

    private static bool TryProduct(HttpRequest request, out string productId, out IResult? problem)
    {
        productId = request.Query["product_id"].ToString();
        problem = null;
        if (productId.Length is > 0 and <= 128) return true;
        problem = Results.Problem(statusCode: 400, type: StatsEndpoints.ProblemTypes.InvalidQuery, title: "Invalid query",
            detail: "'product_id' is required (1-128 characters).");
        return false;
    }

    // One-row answers: the row's values, or nulls and "suppressed": true when the row was held back.
    private static IResult Single(IReadOnlyList<JsonElement> rows, int minVisitors, string[] columns, Dictionary<string, object?> head)
    {
        head["min_visitors"] = minVisitors;
        head["suppressed"] = rows.Count == 0;
        foreach (var column in columns)
        {
            if (rows.Count > 0 && rows[0].TryGetProperty(column, out var value)) head[column] = value;
            else head.TryAdd(column, null);
        }

        return Results.Json(head);
    }

    private static Task<IReadOnlyList<JsonElement>> Run(IAnalyticsStore store, StatsQueryService queries, string name, StatsQuery query,
        Dictionary<string, string>? extra, CancellationToken ct)
    {
        var parameters = new Dictionary<string, string>(queries.Parameters(query), StringComparer.Ordinal);
        foreach (var (key, value) in extra ?? []) parameters[key] = value;
        return store.QueryAsync(StoreQueries.Get(name), parameters, ct);
    }

    private static string DateTime64(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
}

/// <summary>RFC 4180 CSV of query rows, with spreadsheet formula injection neutralised.</summary>
internal static class Csv
{
    public static string Write(IReadOnlyList<string> columns, IReadOnlyList<JsonElement> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', columns.Select(Field)).Append("\r\n");
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0) sb.Append(',');
                if (!row.TryGetProperty(columns[i], out var value)) continue;
                sb.Append(value.ValueKind switch
                {
                    JsonValueKind.String => Field(value.GetString() ?? ""),
                    JsonValueKind.Null => "",
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => value.GetRawText(),
                });
            }

            sb.Append("\r\n");
        }

        return sb.ToString();
    }

    // A text cell starting with = + - @ (or a tab/CR) would run as a formula in a spreadsheet: prefix a quote.
    internal static string Field(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
