using System.Net;

namespace Analytics.Security.Tests;

public sealed class DashboardTests
{
    [Theory]
    [InlineData("/dashboard", "/dashboard/login.html")]
    [InlineData("/dashboard/", "/dashboard/login.html")]
    [InlineData("/dashboard/index.html", "/dashboard/login.html?return=%2Fdashboard%2Findex.html")]
    [InlineData("/dashboard/products.html?site=demo", "/dashboard/login.html?return=%2Fdashboard%2Fproducts.html%3Fsite%3Ddemo")]
    [InlineData("/dashboard/assets", "/dashboard/login.html?return=%2Fdashboard%2Fassets")]
    public async Task An_anonymous_browser_is_sent_to_the_login_page(string path, string location)
    {
        await using var host = await SecureHost.StartAsync();
        var response = await host.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/dashboard/login.html")]
    [InlineData("/dashboard/assets/login.css")]
    [InlineData("/dashboard/assets/js/login.js")]
    public async Task The_login_page_and_its_assets_stay_public(string path)
    {
        await using var host = await SecureHost.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Configured_extra_public_paths_stay_public()
    {
        await using var host = await SecureHost.StartAsync(new() { ["Auth:DashboardPublicPaths:0"] = "/dashboard/favicon.svg" });
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/dashboard/favicon.svg")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await host.GetAsync("/dashboard/other.svg")).StatusCode);
    }

    [Fact]
    public async Task A_logged_in_user_sees_the_dashboard()
    {
        await using var host = await SecureHost.StartAsync();
        var (_, cookie) = await host.LoginAsync("alice", SecureHost.AlicePassword);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/dashboard/", SecureHost.Cookie(cookie!))).StatusCode);
    }

    [Fact]
    public async Task Api_routes_never_redirect()
    {
        await using var host = await SecureHost.StartAsync();
        var response = await host.GetAsync("/v1/stats/pages?site=demo", h => h.Accept.ParseAdd("text/html"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }
}
