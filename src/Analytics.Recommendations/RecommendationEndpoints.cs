using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Analytics.Contracts;
using Analytics.Stats;
using Analytics.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Analytics.Recommendations;

/// <summary>
/// Serving: <c>GET /v1/recommendations/{productId}?site=&amp;k=</c> (one product's list, or the trending fallback),
/// <c>GET /v1/recommendations/export?site=</c> (every list of the current version as JSON Lines), and the layout and
/// trending reports <c>GET /v1/stats/layout</c>, <c>GET /v1/stats/trending</c>. Every row was suppressed below k
/// visitors when it was computed (job) or is suppressed in the query (reports).
/// </summary>
public static class RecommendationEndpoints
{
    public static class ProblemTypes
    {
        public const string InvalidQuery = StatsEndpoints.ProblemTypes.InvalidQuery;
        public const string UnknownSite = StatsEndpoints.ProblemTypes.UnknownSite;
    }

    /// <summary>Maps the routes; reads require <paramref name="readPolicy"/>, the bulk export <paramref name="exportPolicy"/>.</summary>
    public static IEndpointRouteBuilder MapRecommendationEndpoints(this IEndpointRouteBuilder app, string readPolicy, string exportPolicy)
    {
        var export = app.MapGroup("/v1/recommendations/export").RequireAuthorization(exportPolicy);
        export.MapGet("", ExportAsync);

        var read = app.MapGroup("/v1/recommendations").RequireAuthorization(readPolicy);
        read.MapGet("/{productId}", ForProductAsync);

        var stats = app.MapGroup("/v1/stats").RequireAuthorization(readPolicy);
        stats.MapGet("/layout", LayoutAsync);
        stats.MapGet("/trending", TrendingAsync);
        return app;
    }

    private static async Task<IResult> ForProductAsync(string productId, HttpRequest request, IAnalyticsStore store, SiteRegistry sites,
        IOptions<RecommendationOptions> options, CancellationToken ct)
    {
        if (!TrySite(request, sites, out var site, out var problem)) return problem!;
        if (productId.Length is 0 or > 128) return Invalid("'productId' must be 1-128 characters.");
        var max = options.Value.ListLength;
        var k = 10;
        if (request.Query.TryGetValue("k", out var kText) &&
            (!int.TryParse(kText, NumberStyles.None, CultureInfo.InvariantCulture, out k) || k < 1 || k > max))
        {
            return Invalid($"'k' must be between 1 and {max}.");
        }

        var rows = await store.QueryAsync(StoreQueries.Get("reco_serve"), new Dictionary<string, string>
        {
            ["site"] = site,
            ["product_id"] = productId,
            ["k"] = k.ToString(CultureInfo.InvariantCulture),
        }, ct);
        var own = rows.Where(r => r.GetProperty("product_id").GetString() == productId).ToList();
        var chosen = own.Count > 0 ? own : rows.Where(r => r.GetProperty("product_id").GetString()!.Length == 0).ToList();
        var version = rows.Count > 0 ? rows[0].GetProperty("version").GetUInt64() : (ulong?)null;
        return Results.Json(new Dictionary<string, object?>
        {
            ["site"] = site,
            ["product_id"] = productId,
            ["version"] = version,
            ["fallback"] = own.Count == 0,
            ["recommendations"] = chosen.Select(r => new Dictionary<string, object>
            {
                ["product_id"] = r.GetProperty("recommended_id").GetString()!,
                ["score"] = Math.Round(r.GetProperty("score").GetDouble(), 6),
                ["source"] = r.GetProperty("source").GetString()!,
            }).ToList(),
        });
    }

    private static async Task ExportAsync(HttpContext context, IAnalyticsStore store, SiteRegistry sites, CancellationToken ct)
    {
        if (!TrySite(context.Request, sites, out var site, out var problem))
        {
            await problem!.ExecuteAsync(context);
            return;
        }

        var rows = await store.QueryAsync(StoreQueries.Get("reco_export"), new Dictionary<string, string> { ["site"] = site }, ct);
        context.Response.ContentType = "application/jsonl; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{site}-recommendations.jsonl\"";
        var body = context.Response.BodyWriter;
        using var writer = new Utf8JsonWriter(body);
        var i = 0;
        while (i < rows.Count)
        {
            var product = rows[i].GetProperty("product_id").GetString()!;
            writer.WriteStartObject();
            writer.WriteNumber("version", rows[i].GetProperty("version").GetUInt64());
            writer.WriteString("product_id", product);
            writer.WriteStartArray("recommendations");
            for (; i < rows.Count && rows[i].GetProperty("product_id").GetString() == product; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("product_id", rows[i].GetProperty("recommended_id").GetString());
                writer.WriteNumber("rank", rows[i].GetProperty("rank").GetInt32());
                writer.WriteNumber("score", Math.Round(rows[i].GetProperty("score").GetDouble(), 6));
                writer.WriteString("source", rows[i].GetProperty("source").GetString());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            body.Write("\n"u8);
            writer.Reset(body);
            await body.FlushAsync(ct);
        }

        await body.FlushAsync(ct);
    }

    private static async Task<IResult> LayoutAsync(HttpRequest request, StatsQueryService queries, IAnalyticsStore store, IOptions<StatsOptions> stats, CancellationToken ct)
    {
        if (!queries.TryValidate(request.Query, out var query, out var problem)) return problem!;
        var p = queries.Parameters(query!);
        var positions = await store.QueryAsync(StoreQueries.Get("layout_ctr"), p, ct);
        var pageTypes = await store.QueryAsync(StoreQueries.Get("layout_engagement"), p, ct);
        var entryExit = await store.QueryAsync(StoreQueries.Get("layout_entry_exit"), p, ct);
        return Results.Json(new Dictionary<string, object?>
        {
            ["site"] = query!.Site,
            ["from"] = query.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = query.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["min_visitors"] = stats.Value.MinVisitors,
            ["confidence"] = 0.95,
            ["positions"] = positions.Select(LayoutReport.Position).ToList(),
            ["page_types"] = pageTypes,
            ["entry_pages"] = entryExit.Where(r => r.GetProperty("kind").GetString() == "entry").ToList(),
            ["exit_pages"] = entryExit.Where(r => r.GetProperty("kind").GetString() == "exit").ToList(),
        });
    }

    private static async Task<IResult> TrendingAsync(HttpRequest request, StatsQueryService queries, IAnalyticsStore store,
        IOptions<RecommendationOptions> options, CancellationToken ct)
    {
        if (!queries.TryValidate(request.Query, out var query, out var problem)) return problem!;
        var p = new Dictionary<string, string>(queries.Parameters(query!), StringComparer.Ordinal)
        {
            ["half_life_days"] = options.Value.HalfLifeDays.ToString("R", CultureInfo.InvariantCulture),
        };
        var products = await store.QueryAsync(StoreQueries.Get("reco_trending"), p, ct);
        var categories = await store.QueryAsync(StoreQueries.Get("reco_trending_categories"), p, ct);
        return Results.Json(new Dictionary<string, object?>
        {
            ["half_life_days"] = options.Value.HalfLifeDays,
            ["products"] = products,
            ["categories"] = categories,
        });
    }

    private static bool TrySite(HttpRequest request, SiteRegistry sites, out string site, out IResult? problem)
    {
        site = request.Query["site"].ToString();
        problem = null;
        if (site.Length == 0)
        {
            problem = Invalid("'site' is required.");
            return false;
        }

        if (sites.TryGet(site, out _)) return true;
        problem = Results.Problem(statusCode: 404, type: ProblemTypes.UnknownSite, title: "Unknown site", detail: "No such site is configured.");
        return false;
    }

    private static IResult Invalid(string detail) =>
        Results.Problem(statusCode: 400, type: ProblemTypes.InvalidQuery, title: "Invalid query", detail: detail);
}

/// <summary>Rows of the layout report.</summary>
public static class LayoutReport
{
    /// <summary>A CTR row with its 95 % Wilson interval.</summary>
    public static Dictionary<string, object> Position(JsonElement row)
    {
        var impressions = row.GetProperty("impressions").GetInt64();
        var clicks = row.GetProperty("clicks").GetInt64();
        var (low, high) = Wilson.Interval(clicks, impressions);
        return new Dictionary<string, object>
        {
            ["list_name"] = row.GetProperty("list_name").GetString()!,
            ["list_position"] = row.GetProperty("list_position").GetInt32(),
            ["impressions"] = impressions,
            ["clicks"] = clicks,
            ["ctr"] = impressions == 0 ? 0 : Math.Round((double)Math.Min(clicks, impressions) / impressions, 4),
            ["ctr_low"] = Math.Round(low, 4),
            ["ctr_high"] = Math.Round(high, 4),
            ["visitors"] = row.GetProperty("visitors").GetInt64(),
        };
    }
}
