using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Analytics.TestUtilities;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.EndToEnd.Tests;

/// <summary>Every stats output of the host hides rows backed by fewer than k visitors, walked from the host's own route table.</summary>
public sealed class SmallCellSuppressionTests(ChDbFixture chdb)
{
    private const int K = 5;

    [Fact]
    public async Task No_stats_route_returns_a_row_with_fewer_than_k_visitors()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(chdb, minVisitors: K);
        await host.StartAsync(ct);
        await using var store = host.OpenStore();

        // A few visitors: /rare and SKU-RARE seen by 2, /popular and SKU-POP by 6 (k = 5).
        for (var i = 1; i <= 6; i++)
        {
            string[] paths = i <= 2 ? ["/rare", "/p/SKU-RARE", "/popular", "/p/SKU-POP"] : ["/popular", "/p/SKU-POP"];
            await Device.Numbered(100 + i).SendAsync(host.BaseAddress, "demo", paths, ct);
        }

        await StoreProbe.WaitUntilAsync(async () => await StoreProbe.CountAsync(store, "site = 'demo'", ct) == 16, "all 16 events are stored", ct);

        using var client = host.StatsClient();
        var routes = await StatsRoutesAsync(host.Services, client, ct);
        Assert.Contains("/v1/stats/pages", routes);
        Assert.Contains(routes, r => r.StartsWith("/v1/stats/export/", StringComparison.Ordinal));
        var violations = new List<string>();
        var rowsSeen = 0;
        foreach (var route in routes)
        {
            var url = $"{route}?site=demo&product_id=SKU-RARE";
            var response = await client.GetAsync(url, ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync(ct);
            var media = response.Content.Headers.ContentType?.MediaType ?? "";
            if (media.Contains("json", StringComparison.Ordinal)) rowsSeen += Walk(JsonDocument.Parse(body).RootElement, url, violations);
            else if (media.Contains("csv", StringComparison.Ordinal)) rowsSeen += WalkCsv(body, url, violations);
        }

        Assert.True(violations.Count == 0, "rows under k visitors: " + string.Join("; ", violations));
        Assert.True(rowsSeen > 0, "no route returned a row with a visitor count: the fixture did not reach the stats");
        var pages = await client.GetStringAsync("/v1/stats/pages?site=demo", ct);
        Assert.Contains("/popular", pages, StringComparison.Ordinal);
        Assert.DoesNotContain("/rare", pages, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every GET route under /v1/stats from the host's endpoint table; the export route is expanded to every table it
    /// names when asked for an unknown one (its problem detail lists them).
    /// </summary>
    private static async Task<List<string>> StatsRoutesAsync(IServiceProvider services, HttpClient client, CancellationToken ct)
    {
        var patterns = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains("GET") == true)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => p.StartsWith("/v1/stats/", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        var expanded = patterns.Where(p => !p.Contains('{', StringComparison.Ordinal)).ToList();
        foreach (var pattern in patterns.Where(p => p.Contains('{', StringComparison.Ordinal)))
        {
            Assert.Equal("/v1/stats/export/{name}", pattern); // a new parameterised route needs its own expansion here
            using var unknown = await client.GetAsync("/v1/stats/export/no-such-table?site=demo", ct);
            var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>(ct);
            var detail = problem.GetProperty("detail").GetString()!;
            var known = detail[(detail.IndexOf(':', StringComparison.Ordinal) + 1)..].TrimEnd('.').Split(',', StringSplitOptions.TrimEntries);
            Assert.Contains("pages", known);
            expanded.AddRange(known.Select(n => "/v1/stats/export/" + n));
        }

        return expanded;
    }

    private static int Walk(JsonElement element, string url, List<string> violations)
    {
        var rows = 0;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    if (p.Name == "visitors" && p.Value.ValueKind == JsonValueKind.Number)
                    {
                        rows++;
                        if (p.Value.GetDouble() < K) violations.Add($"{url}: {element}");
                    }
                    else
                    {
                        rows += Walk(p.Value, url, violations);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) rows += Walk(item, url, violations);
                break;
        }

        return rows;
    }

    private static int WalkCsv(string csv, string url, List<string> violations)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0) return 0;
        var column = Array.IndexOf(lines[0].Split(','), "visitors");
        if (column < 0) return 0;
        var rows = 0;
        foreach (var line in lines.Skip(1))
        {
            // Quoted fields of this fixture hold no commas; the visitor count is a plain number.
            var cells = line.Split(',');
            if (cells.Length > column && double.TryParse(cells[column], System.Globalization.CultureInfo.InvariantCulture, out var visitors))
            {
                rows++;
                if (visitors < K) violations.Add($"{url}: {line}");
            }
        }

        return rows;
    }
}
