using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenQA.Selenium;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// The storefront beacon and the dashboard in a real browser against the real host: every event of a walk through
/// the demo store arrives exactly once, the dashboard shows what the stats API answers, and the dashboard refuses a
/// wrong password and a missing session. Screenshots of every page go to artifacts/test-results/dashboard/; the
/// overview, products and product pages are also copied to docs/screenshots/.
/// </summary>
public sealed class DashboardBrowserTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private Browser B => fixture.Browser;

    private void SkipWithoutBrowser()
    {
        if (fixture.SkipReason is { } reason) Assert.Skip(reason);
    }

    private static long Int(JsonElement e, string name) => e.GetProperty(name).GetInt64();

    [Fact]
    public void Demo_walk_events_arrive_exactly_once()
    {
        SkipWithoutBrowser();
        var w = fixture.AfterWalk;

        var summary = w["summary"];
        Assert.Equal(5, Int(summary, "page_views"));
        Assert.Equal(2, Int(summary, "product_views"));
        Assert.Equal(1, Int(summary, "visitors"));

        var pages = w["pages"].EnumerateArray().ToDictionary(r => r.GetProperty("path").GetString()!, r => Int(r, "views"));
        Assert.Equal(new Dictionary<string, long>
        {
            ["/demo/routine.html"] = 3, // start view, routine view, product view: SPA navigation, one page view each
            ["/demo/index.html"] = 1,
            ["/demo/product-velvet-matte-lipstick.html"] = 1,
        }, pages);

        var products = w["products"].EnumerateArray().ToDictionary(r => r.GetProperty("product_id").GetString()!, r => Int(r, "views"));
        Assert.Equal(new Dictionary<string, long> { ["SKU-9001"] = 1, ["SKU-9004"] = 1 }, products);

        // Each listed item seen once per page view, each click once.
        var lists = w["list-positions"].EnumerateArray()
            .ToDictionary(r => $"{r.GetProperty("list_name").GetString()}#{Int(r, "list_position")}", r => (Int(r, "impressions"), Int(r, "clicks")));
        var expected = new Dictionary<string, (long, long)>();
        foreach (var (list, count) in (ReadOnlySpan<(string, int)>)[("bestsellers", 4), ("new_in", 3), ("also_like", 3), ("routine_hydration", 3)])
        {
            for (var p = 1; p <= count; p++) expected[$"{list}#{p}"] = (1, 0);
        }

        expected["bestsellers#2"] = (1, 1);
        expected["routine_hydration#1"] = (1, 1);
        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), lists.OrderBy(kv => kv.Key, StringComparer.Ordinal));

        // One engagement report per page view left, the last one sent on pagehide when the browser left the store.
        var engagement = w["engagement"].EnumerateArray().ToDictionary(r => r.GetProperty("path").GetString()!, r => Int(r, "engagements"));
        var reports = string.Join(", ", engagement.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.True(reports == "/demo/index.html=1, /demo/product-velvet-matte-lipstick.html=1, /demo/routine.html=3",
            $"Engagement reports per page: {reports}. Expected one per page view left (index 1, product 1, routine 3). " +
            "Two for a page left by a full navigation means the beacon reported on pagehide and again on the " +
            "visibilitychange to hidden that follows it (beacon.js keeps its visible-time clock running after pagehide).");

        // Realtime reads the events table directly: the same walk, minutes old.
        var realtime = w["realtime"];
        Assert.Equal(5, Int(realtime, "page_views"));
        Assert.Equal(2, Int(realtime, "product_views"));

        // Nothing more was sent than the walk produced, and nothing was dropped or refused.
        var dropped = w["dropped"];
        Assert.Equal(DashboardFixture.WalkEvents, Int(dropped, "accepted"));
        Assert.Equal(0, Int(dropped, "consent_dropped") + Int(dropped, "rejected") + Int(dropped, "refused_batches"));

        // The browser passed for an ordinary shopper, not a bot.
        Assert.Contains(w["browsers"].EnumerateArray(), r => r.GetProperty("value").GetString() == "Chrome");
    }

    [Fact]
    public async Task Dashboard_shows_what_the_stats_api_answers()
    {
        SkipWithoutBrowser();
        SignIn();
        var range = $"site=demo&from={DateOnly.ParseExact(fixture.Today, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(-6):yyyy-MM-dd}&to={fixture.Today}";
        var shots = new List<string>();

        // Overview: totals and the top pages table.
        Show("/dashboard/index.html?" + range);
        var summary = await fixture.GetAsync("/v1/stats/summary?" + range);
        Assert.Equal(Int(summary, "visitors"), Kpi("visitors"));
        Assert.Equal(Int(summary, "page_views"), Kpi("page_views"));
        Assert.Equal(Int(summary, "product_views"), Kpi("product_views"));
        AssertTable("pages", await fixture.GetAsync("/v1/stats/pages?limit=10&" + range), "path", "views", "visitors");
        AssertTable("engagement", await fixture.GetAsync("/v1/stats/engagement?limit=10&" + range), "path", "engagements");
        Assert.Contains("Rows with fewer than 1 visitors are hidden", B.Driver.FindElement(By.TagName("main")).Text, StringComparison.Ordinal);
        Assert.Contains("Newest event", B.Driver.FindElement(By.Id("status")).Text, StringComparison.Ordinal);
        shots.Add(B.Screenshot(Repo.Artifacts, "overview"));

        // Products with trends.
        Show("/dashboard/products.html?" + range);
        AssertTable("products", await fixture.GetAsync("/v1/stats/products?limit=100&" + range), "name", "views", "visitors");
        shots.Add(B.Screenshot(Repo.Artifacts, "products"));

        // Product detail of the top product, reached by its link, with "viewed together".
        B.Driver.FindElement(By.CssSelector("table[data-table='products'] tbody tr:first-child a")).Click();
        B.WaitFor(() => B.Driver.Url.Contains("product.html", StringComparison.Ordinal) && B.Js("return document.body.dataset.ready") is "true", "the product page");
        var id = Uri.EscapeDataString((string)B.Js("return new URLSearchParams(location.search).get('id')")!);
        var product = await fixture.GetAsync($"/v1/stats/product?product_id={id}&" + range);
        Assert.Equal(Int(product, "views"), Kpi("views"));
        Assert.Equal(Int(product, "visitors"), Kpi("visitors"));
        AssertTable("viewed-together", await fixture.GetAsync($"/v1/stats/viewed-together?limit=20&product_id={id}&" + range), "name", "visitors");
        shots.Add(B.Screenshot(Repo.Artifacts, "product"));

        Show("/dashboard/sources.html?" + range);
        AssertTable("referrers", await fixture.GetAsync("/v1/stats/referrers?limit=50&" + range), "referrer_host", "visitors");
        AssertTable("browsers", await fixture.GetAsync("/v1/stats/browsers?limit=50&" + range), "value", "visitors");
        AssertTable("countries", await fixture.GetAsync("/v1/stats/countries?limit=50&" + range), "value", "visitors");
        B.Screenshot(Repo.Artifacts, "sources");

        Show("/dashboard/lists.html?" + range);
        AssertTable("list-positions", await fixture.GetAsync("/v1/stats/list-positions?" + range), "list_name", "impressions", "clicks");
        B.Screenshot(Repo.Artifacts, "lists");

        Show("/dashboard/realtime.html?" + range);
        var realtime = await fixture.GetAsync("/v1/stats/realtime?site=demo");
        Assert.Equal(Int(realtime, "page_views"), Kpi("rt_page_views"));
        B.Screenshot(Repo.Artifacts, "realtime");

        // The CSV export of a table is the same rows.
        var csv = await fixture.Api.GetStringAsync(new Uri("/v1/stats/export/pages?" + range, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.StartsWith("path,views,visitors\r\n", csv, StringComparison.Ordinal);

        var docs = Path.Combine(Repo.Root, "docs", "screenshots");
        Directory.CreateDirectory(docs);
        foreach (var shot in shots)
        {
            File.Copy(shot, Path.Combine(docs, "dashboard-" + Path.GetFileName(shot)), overwrite: true);
            TestContext.Current.AddAttachment(Path.GetFileName(shot), await File.ReadAllBytesAsync(shot, TestContext.Current.CancellationToken), "image/png");
        }
    }

    [Fact]
    public async Task A_wrong_password_is_refused()
    {
        SkipWithoutBrowser();
        SignOutEverywhere();
        B.Open(new Uri(fixture.Host.BaseUrl, "/dashboard/login.html"));
        B.Driver.FindElement(By.Id("username")).SendKeys(fixture.Host.Login.User);
        B.Driver.FindElement(By.Id("password")).SendKeys("not-the-password");
        B.Driver.FindElement(By.CssSelector("button[type='submit']")).Click();
        B.WaitFor(() => B.Driver.FindElement(By.Id("error")).Text.Length > 0, "the error message");
        Assert.Equal("Wrong username or password.", B.Driver.FindElement(By.Id("error")).Text);
        Assert.EndsWith("/dashboard/login.html", B.Driver.Url, StringComparison.Ordinal);
        B.Screenshot(Repo.Artifacts, "login-refused");

        using var anonymous = new HttpClient { BaseAddress = fixture.Host.BaseUrl };
        using var answer = await anonymous.PostAsJsonAsync(new Uri("/v1/auth/login", UriKind.Relative),
            new { username = fixture.Host.Login.User, password = "not-the-password" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }

    [Fact]
    public async Task A_missing_session_is_refused()
    {
        SkipWithoutBrowser();
        SignOutEverywhere();
        B.Open(new Uri(fixture.Host.BaseUrl, "/dashboard/products.html"));
        Assert.Contains("/dashboard/login.html", B.Driver.Url, StringComparison.Ordinal);

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Host.BaseUrl };
        foreach (var path in (string[])["/v1/stats/summary?site=demo", "/v1/stats/referrers?site=demo", "/v1/stats/export/pages?site=demo", "/v1/stats/dropped"])
        {
            using var answer = await anonymous.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        }

        // And signing out ends a session that existed.
        SignIn();
        B.Driver.FindElement(By.XPath("//button[normalize-space()='Sign out']")).Click();
        B.WaitFor(() => B.Driver.Url.Contains("/dashboard/login.html", StringComparison.Ordinal), "the login page after signing out");
        B.Open(new Uri(fixture.Host.BaseUrl, "/dashboard/"));
        Assert.Contains("/dashboard/login.html", B.Driver.Url, StringComparison.Ordinal);
    }

    private void SignOutEverywhere()
    {
        B.Open(new Uri(fixture.Host.BaseUrl, "/dashboard/login.html"));
        B.Driver.Manage().Cookies.DeleteAllCookies();
    }

    private void SignIn()
    {
        SignOutEverywhere();
        var (user, password) = fixture.Host.Login;
        B.Driver.FindElement(By.Id("username")).SendKeys(user);
        B.Driver.FindElement(By.Id("password")).SendKeys(password + Keys.Enter);
        B.WaitFor(() => !B.Driver.Url.Contains("login.html", StringComparison.Ordinal) && B.Js("return document.body.dataset.ready") is "true", "the dashboard after signing in");
        B.WaitFor(() => B.Driver.FindElements(By.XPath("//button[normalize-space()='Sign out']")).Count == 1, "the signed-in user");
    }

    private void Show(string pathAndQuery)
    {
        B.Open(new Uri(fixture.Host.BaseUrl, pathAndQuery));
        B.WaitFor(() => B.Js("return document.body.dataset.ready") is "true", "the dashboard page " + pathAndQuery);
        Assert.Empty(B.Driver.FindElements(By.CssSelector(".error")));
    }

    private long Kpi(string key) => Number(B.Driver.FindElement(By.CssSelector($"[data-kpi='{key}']")).Text);

    private static long Number(string shown) => long.Parse(shown.Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture);

    // The table's rows, in order, against the API's: the first column's text, then the named numbers.
    private void AssertTable(string name, JsonElement api, string label, params string[] numbers)
    {
        var rows = B.Driver.FindElements(By.CssSelector($"table[data-table='{name}'] tbody tr"))
            .Select(tr => tr.FindElements(By.CssSelector("th, td")).Select(c => c.Text).ToList())
            .Where(cells => cells.Count > 1)
            .ToList();
        var headers = B.Driver.FindElements(By.CssSelector($"table[data-table='{name}'] thead th")).Select(th => th.GetAttribute("data-key")).ToList();
        var expected = api.EnumerateArray().ToList();
        Assert.Equal(expected.Count, rows.Count);
        Assert.NotEmpty(expected);
        for (var i = 0; i < expected.Count; i++)
        {
            var first = expected[i].GetProperty(label).GetString() ?? "";
            if (first.Length > 0) Assert.Equal(first, rows[i][0]);
            foreach (var column in numbers)
            {
                var index = headers.IndexOf(column);
                Assert.True(index >= 0, $"column {column} of {name}");
                Assert.Equal(Int(expected[i], column), Number(rows[i][index]));
            }
        }
    }
}
