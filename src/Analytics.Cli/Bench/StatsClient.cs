using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Analytics.Cli.Bench;

/// <summary>The stats API answered something other than 2xx.</summary>
public sealed class StatsApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}

/// <summary>Row of <c>/v1/stats/pages</c>.</summary>
public sealed record PageRow(string Path, long Views, long Visitors);

/// <summary>Row of <c>/v1/stats/timeseries</c>.</summary>
public sealed record DayRow(string Day, long PageViews, long ProductViews, long Visitors);

/// <summary>Minimal reader of the stats API, for the end-to-end part of <c>bench</c> (and end-to-end tests).</summary>
public sealed class StatsClient(HttpClient client, Uri origin, string site, string? apiKey)
{
    public async Task<IReadOnlyList<PageRow>> PagesAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        using var doc = await GetAsync("/v1/stats/pages", from, to, "&limit=100000", cancellationToken);
        return Rows(doc.RootElement).Select(r => new PageRow(Str(r, "path"), Num(r, "views"), Num(r, "visitors"))).ToList();
    }

    public async Task<IReadOnlyList<DayRow>> TimeseriesAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        using var doc = await GetAsync("/v1/stats/timeseries", from, to, "", cancellationToken);
        return Rows(doc.RootElement).Select(r => new DayRow(Str(r, "day"), Num(r, "page_views"), Num(r, "product_views"), Num(r, "visitors"))).ToList();
    }

    /// <summary>page_views + product_views over the range.</summary>
    public async Task<long> TotalViewsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        (await TimeseriesAsync(from, to, cancellationToken)).Sum(d => d.PageViews + d.ProductViews);

    private async Task<JsonDocument> GetAsync(string path, DateOnly from, DateOnly to, string extra, CancellationToken cancellationToken)
    {
        var url = new Uri(origin, string.Create(CultureInfo.InvariantCulture,
            $"{path}?site={Uri.EscapeDataString(site)}&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}{extra}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new StatsApiException(response.StatusCode, $"GET {path} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
    }

    // The contract is a bare array; an object wrapping one array (e.g. {"rows":[…]}) is accepted too.
    private static IEnumerable<JsonElement> Rows(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => root.EnumerateArray(),
        JsonValueKind.Object => root.EnumerateObject().FirstOrDefault(p => p.Value.ValueKind == JsonValueKind.Array).Value is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray() : [],
        _ => [],
    };

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : v.ToString() : "";

    private static long Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.Number ? (long)v.GetDouble()
            : v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), CultureInfo.InvariantCulture, out var n) ? n : 0
            : 0;
}
