using System.Globalization;
using System.Text.Json;
using Analytics.Contracts;
using Analytics.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Analytics.Stats;

/// <summary>The read API: <c>/v1/stats/pages</c>, <c>/products</c>, <c>/timeseries</c>. Every row it returns passed small-cell suppression.</summary>
public static class StatsEndpoints
{
    public static class ProblemTypes
    {
        public const string InvalidQuery = "https://analytics.invalid/problems/invalid-query";
        public const string UnknownSite = "https://analytics.invalid/problems/unknown-site";
    }

    /// <summary>Maps the stats routes under <c>/v1/stats</c>; returns the group so a host can add authorization.</summary>
    public static RouteGroupBuilder MapStatsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/stats");
        group.MapGet("/pages", (HttpRequest r, StatsQueryService q, CancellationToken ct) => RunAsync(r, q, "pages", ct));
        group.MapGet("/products", (HttpRequest r, StatsQueryService q, CancellationToken ct) => RunAsync(r, q, "products", ct));
        group.MapGet("/timeseries", (HttpRequest r, StatsQueryService q, CancellationToken ct) => RunAsync(r, q, "timeseries", ct));
        return group;
    }

    private static async Task<IResult> RunAsync(HttpRequest request, StatsQueryService queries, string name, CancellationToken ct)
    {
        if (!queries.TryValidate(request.Query, out var query, out var problem)) return problem!;
        var rows = await queries.RunAsync(name, query!, ct);
        return Results.Json(rows);
    }
}

/// <summary>A validated stats request.</summary>
public sealed record StatsQuery(string Site, DateOnly From, DateOnly To, int Limit);

/// <summary>Validates stats requests and runs the stored queries with small-cell suppression applied.</summary>
public sealed class StatsQueryService(IAnalyticsStore store, SiteRegistry sites, IOptions<StatsOptions> options, TimeProvider time)
{
    private readonly StatsOptions _options = options.Value;

    /// <summary>Parses <c>site</c>, <c>from</c>, <c>to</c> (ISO dates, inclusive; default: the last 7 days) and <c>limit</c>.</summary>
    public bool TryValidate(IQueryCollection q, out StatsQuery? query, out IResult? problem)
    {
        query = null;
        problem = null;
        var site = q["site"].ToString();
        if (string.IsNullOrEmpty(site)) return Fail("'site' is required.", out problem);
        if (!sites.TryGet(site, out _))
        {
            problem = Results.Problem(statusCode: 404, type: StatsEndpoints.ProblemTypes.UnknownSite, title: "Unknown site", detail: "No such site is configured.");
            return false;
        }
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), sites.TimeZoneOf(site)).DateTime);
        if (!TryDate(q["to"], today, out var to)) return Fail("'to' must be an ISO date (YYYY-MM-DD).", out problem);
        if (!TryDate(q["from"], to.AddDays(-6), out var from)) return Fail("'from' must be an ISO date (YYYY-MM-DD).", out problem);
        if (from > to) return Fail("'from' must not be after 'to'.", out problem);
        if (to.DayNumber - from.DayNumber + 1 > _options.MaxRangeDays) return Fail($"The range may span at most {_options.MaxRangeDays} days.", out problem);
        var limit = Math.Min(_options.DefaultRows, _options.MaxRows);
        if (q.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > _options.MaxRows))
        {
            return Fail($"'limit' must be between 1 and {_options.MaxRows}.", out problem);
        }
        query = new StatsQuery(site, from, to, limit);
        return true;
    }

    /// <summary>Runs the stored query <paramref name="name"/> (Storage/Queries/NAME.sql).</summary>
    public Task<IReadOnlyList<JsonElement>> RunAsync(string name, StatsQuery query, CancellationToken ct) =>
        store.QueryAsync(StoreQueries.Get(name), Parameters(query), ct);

    /// <summary>The engine-bound parameters of a stats query, suppression threshold included.</summary>
    public IReadOnlyDictionary<string, string> Parameters(StatsQuery query) => new Dictionary<string, string>
    {
        ["site"] = query.Site,
        ["from"] = query.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = query.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["min_visitors"] = _options.MinVisitors.ToString(CultureInfo.InvariantCulture),
        ["limit"] = query.Limit.ToString(CultureInfo.InvariantCulture),
    };

    private static bool TryDate(Microsoft.Extensions.Primitives.StringValues value, DateOnly fallback, out DateOnly date)
    {
        if (value.Count == 0 || string.IsNullOrEmpty(value.ToString()))
        {
            date = fallback;
            return true;
        }
        return DateOnly.TryParseExact(value.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    private static bool Fail(string detail, out IResult? problem)
    {
        problem = Results.Problem(statusCode: 400, type: StatsEndpoints.ProblemTypes.InvalidQuery, title: "Invalid query", detail: detail);
        return false;
    }
}
