using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenQA.Selenium;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// Starts the host (with <c>--Stats:MinVisitors=1</c>: the walk below is one visitor, and every stats row needs at
/// least k visitors), walks the demo store once in headless Chromium, waits until the stats show the walk, and keeps
/// what the API answered then. Afterwards it adds simulated shoppers (the CLI's simulator) so the dashboard pages and
/// screenshots show more than one visitor.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>What the walk sends: 5 page views, 2 product views, 13 impressions, 2 clicks, 5 engagement reports.</summary>
    public const int WalkEvents = 27;

    private HostProcess? _host;
    private Browser? _browser;

    /// <summary>Why the browser tests cannot run here (Chromium absent), or null.</summary>
    public string? SkipReason { get; private set; }

    internal HostProcess Host => _host!;
    internal Browser Browser => _browser!;
    internal HttpClient Api { get; private set; } = null!;

    /// <summary>The API's answers right after the walk, before any simulated traffic: path → JSON.</summary>
    internal Dictionary<string, JsonElement> AfterWalk { get; } = new(StringComparer.Ordinal);

    public string Today { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        SkipReason = Browser.Missing();
        if (SkipReason is not null) return;
        var ct = TestContext.Current.CancellationToken;
        _host = await HostProcess.StartAsync(["--Stats:MinVisitors=1"], ct);
        Api = new HttpClient { BaseAddress = _host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _host.ApiKey);
        Today = (await GetAsync("/v1/stats/meta")).GetProperty("sites")[0].GetProperty("today").GetString()!;
        _browser = new Browser();

        WalkTheDemoStore();
        await WaitForWalkAsync(ct);
        foreach (var path in (string[])["summary", "pages", "products", "list-positions", "engagement", "realtime", "dropped", "referrers", "browsers", "devices"])
        {
            AfterWalk[path] = await GetAsync("/v1/stats/" + path + "?site=demo");
        }

        // Aggregates only (no visitor keys): kept as an artifact to read when an exact-count assertion fails.
        await File.WriteAllTextAsync(Path.Combine(Repo.Artifacts, "after-walk.json"), JsonSerializer.Serialize(AfterWalk), ct);
        await SeedSimulatedShoppersAsync(ct);
    }

    internal async Task<JsonElement> GetAsync(string pathAndQuery)
    {
        using var response = await Api.GetAsync(new Uri(pathAndQuery, UriKind.Relative), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private Uri At(string path) => new(_host!.BaseUrl, path);

    private void WalkTheDemoStore()
    {
        var b = _browser!;
        // Home: scroll through both lists (7 impressions), then click the second bestseller.
        b.Open(At("/demo/index.html"));
        WaitForBeacon(b);
        ScrollThrough(b);
        b.Driver.FindElement(By.CssSelector("[data-list='bestsellers'] [data-position='2'] a")).Click();

        // Product page (a full page load, so the home page's engagement leaves on pagehide): its list, 3 impressions.
        b.WaitFor(() => b.Driver.Url.EndsWith("product-velvet-matte-lipstick.html", StringComparison.Ordinal)
            && (string?)b.Js("return document.readyState") == "complete", "the product page");
        WaitForBeacon(b);
        ScrollThrough(b);

        // Routine finder, a single-page app: start view, the hydration routine (3 impressions), a product from it.
        b.Open(At("/demo/routine.html"));
        WaitForBeacon(b);
        b.Driver.FindElement(By.CssSelector("a[href='routine.html?need=hydration']")).Click();
        b.WaitFor(() => b.Driver.FindElements(By.CssSelector("[data-list='routine_hydration'] [data-list-item]")).Count == 3, "the routine view");
        ScrollThrough(b);
        b.Driver.FindElement(By.CssSelector("[data-list='routine_hydration'] [data-position='1'] a")).Click();
        b.WaitFor(() => b.Driver.FindElements(By.CssSelector("article.product")).Count == 1, "the routine's product view");
        NextFrames(b);

        // Leave the store: the last view's engagement goes out on pagehide.
        b.Open(At("/dashboard/login.html"));
    }

    private static void WaitForBeacon(Browser b) =>
        b.WaitFor(() => b.Js("return !!(window.analytics && window.analytics.optOut)") is true, "the beacon");

    // Two animation frames: IntersectionObserver has delivered what the last scroll made visible.
    private static void NextFrames(Browser b) =>
        b.Driver.ExecuteAsyncScript("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));");

    private static void ScrollThrough(Browser b)
    {
        NextFrames(b);
        for (var i = 0; i < 30; i++)
        {
            var atEnd = b.Js("window.scrollBy(0, 250); return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;") is true;
            NextFrames(b);
            if (atEnd) break;
        }
    }

    private async Task WaitForWalkAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var dropped = await GetAsync("/v1/stats/dropped");
            var summary = await GetAsync("/v1/stats/summary?site=demo");
            var engagement = await GetAsync("/v1/stats/engagement?site=demo");
            var stored = !summary.GetProperty("suppressed").GetBoolean()
                && summary.GetProperty("page_views").GetInt64() >= 5 && summary.GetProperty("product_views").GetInt64() >= 2
                && engagement.EnumerateArray().Sum(r => r.GetProperty("engagements").GetInt64()) >= 5;
            if (stored && dropped.GetProperty("accepted").GetInt64() >= WalkEvents) return;
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"The walk's events did not all show up: accepted {dropped.GetProperty("accepted")}, summary {summary}, engagement {engagement}.\n{_host!.LogTail}");
            }

            await Task.Delay(200, ct);
        }
    }

    private async Task SeedSimulatedShoppersAsync(CancellationToken ct)
    {
        if (!File.Exists(Repo.CliDll)) return;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[Repo.CliDll, "simulate", "--url", _host!.BaseUrl.ToString().TrimEnd('/'), "--events", "1500", "--seed", "7",
                     "--wait-visible", "--quiet", "--api-key", _host.ApiKey])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromMinutes(3), ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"simulate failed ({process.ExitCode}): {await output}\n{await errors}");
    }

    public async ValueTask DisposeAsync()
    {
        _browser?.Dispose();
        Api?.Dispose();
        if (_host is not null) await _host.DisposeAsync();
    }
}
