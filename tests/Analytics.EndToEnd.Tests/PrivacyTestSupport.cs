using System.Globalization;
using System.Net;
using System.Text;
using Analytics.Storage;

namespace Analytics.EndToEnd.Tests;

/// <summary>A browser on a network, as the collector sees it: an IP (sent as X-Forwarded-For from the trusted loopback proxy) and a User-Agent.</summary>
internal sealed class Device(string ip, string userAgent)
{
    public string Ip { get; } = ip;
    public string UserAgent { get; } = userAgent;

    private static string Product(string id) => "{\"id\":\"" + id + "\",\"name\":\"Cream\",\"category\":\"Care\",\"price\":9.5,\"currency\":\"EUR\"}";

    public static Device Numbered(int n) => new(
        $"198.51.100.{n}",
        $"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.{n}.0 Safari/537.36");

    public HttpClient Client(Uri baseAddress, params (string Name, string Value)[] headers)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
        client.DefaultRequestHeaders.TryAddWithoutValidation("X-Forwarded-For", Ip);
        foreach (var (name, value) in headers) client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        return client;
    }

    /// <summary>Posts page views of <paramref name="paths"/> (and product views for paths under /p/) as one beacon batch.</summary>
    public async Task<HttpResponseMessage> SendAsync(Uri baseAddress, string site, IEnumerable<string> paths, CancellationToken ct, params (string Name, string Value)[] headers)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var events = paths.Select(p => p.StartsWith("/p/", StringComparison.Ordinal)
            ? $$"""{"type":"product_view","id":"{{Guid.NewGuid()}}","ts":{{ts}},"url":"https://shop.example{{p}}","referrer":"","title":"t","screen":"1920x1080","lang":"en","product":{{Product(p[3..])}}}"""
            : $$"""{"type":"page_view","id":"{{Guid.NewGuid()}}","ts":{{ts}},"url":"https://shop.example{{p}}","referrer":"","title":"t","screen":"1920x1080","lang":"en"}""");
        using var client = Client(baseAddress, headers);
        var body = $$"""{"site":"{{site}}","events":[{{string.Join(",", events)}}]}""";
        var response = await client.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, "text/plain"), ct);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response;
    }
}

internal static class StoreProbe
{
    public static async Task<long> CountAsync(IAnalyticsStore store, string where, CancellationToken ct)
    {
        var rows = await store.QueryAsync($"SELECT count() AS n FROM events WHERE {where}", new Dictionary<string, string>(), ct);
        return rows[0].GetProperty("n").GetInt64();
    }

    /// <summary>Polls until <paramref name="condition"/> holds (the anonymizer writes in batches of ≤ 200 ms); fails after 15 s.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, CancellationToken ct)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < TimeSpan.FromSeconds(15))
        {
            if (await condition()) return;
            await Task.Delay(50, ct);
        }

        Assert.Fail("timed out waiting until " + what);
    }

    public static string Today => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>The repository root (where Analytics.sln is), for checked-in docs.</summary>
internal static class Repo
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Analytics.sln"))) return dir.FullName;
            }

            throw new InvalidOperationException("Analytics.sln not found above " + AppContext.BaseDirectory);
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
