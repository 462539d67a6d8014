using System.Net;
using System.Text.Json;

namespace Analytics.Security.Tests;

public sealed class ApiKeyAccessTests
{
    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(type, body.RootElement.GetProperty("type").GetString());
        Assert.Equal((int)status, body.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Every_stats_route_without_credentials_answers_401_problem()
    {
        await using var host = await SecureHost.StartAsync();
        Assert.Equal(["/v1/stats/pages", "/v1/stats/products", "/v1/stats/timeseries"], host.StatsRoutes);
        foreach (var route in host.StatsRoutes)
        {
            var response = await host.GetAsync(route + "?site=demo");
            await AssertProblem(response, HttpStatusCode.Unauthorized, AuthProblems.Unauthenticated);
            Assert.Null(response.Headers.Location);
        }
    }

    [Fact]
    public async Task A_valid_key_reads_every_stats_route_in_either_header()
    {
        await using var host = await SecureHost.StartAsync();
        foreach (var route in host.StatsRoutes)
        {
            foreach (var key in new[] { SecureHost.MerchandiserKey, SecureHost.AnalystKey, SecureHost.AdminKey })
            {
                Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(route + "?site=demo", SecureHost.Bearer(key))).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await host.GetAsync(route + "?site=demo", SecureHost.XApiKey(key))).StatusCode);
            }
        }
    }

    [Fact]
    public async Task Wrong_key_answers_401_in_either_header()
    {
        await using var host = await SecureHost.StartAsync();
        var wrong = SecureHost.AnalystKey[..^1] + "!";
        var bearer = await host.GetAsync("/v1/stats/pages?site=demo", SecureHost.Bearer(wrong));
        await AssertProblem(bearer, HttpStatusCode.Unauthorized, AuthProblems.Unauthenticated);
        Assert.Contains("invalid_token", bearer.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await AssertProblem(await host.GetAsync("/v1/stats/pages?site=demo", SecureHost.XApiKey(wrong)), HttpStatusCode.Unauthorized, AuthProblems.Unauthenticated);
    }

    [Fact]
    public async Task Other_authorization_schemes_and_conflicting_keys_answer_401()
    {
        await using var host = await SecureHost.StartAsync();
        var basic = await host.GetAsync("/v1/stats/pages?site=demo", h => h.Authorization = new("Basic", "YWxpY2U6cHc="));
        await AssertProblem(basic, HttpStatusCode.Unauthorized, AuthProblems.Unauthenticated);
        var conflicting = await host.GetAsync("/v1/stats/pages?site=demo", h =>
        {
            SecureHost.Bearer(SecureHost.AnalystKey)(h);
            SecureHost.XApiKey(SecureHost.MerchandiserKey)(h);
        });
        await AssertProblem(conflicting, HttpStatusCode.Unauthorized, AuthProblems.Unauthenticated);
    }

    [Fact]
    public async Task A_key_whose_role_lacks_the_policy_answers_403_problem()
    {
        await using var host = await SecureHost.StartAsync();
        await AssertProblem(await host.GetAsync("/probe/privacy-admin", SecureHost.Bearer(SecureHost.MerchandiserKey)), HttpStatusCode.Forbidden, AuthProblems.Forbidden);
        await AssertProblem(await host.GetAsync("/probe/privacy-admin", SecureHost.XApiKey(SecureHost.AnalystKey)), HttpStatusCode.Forbidden, AuthProblems.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/probe/privacy-admin", SecureHost.Bearer(SecureHost.AdminKey))).StatusCode);
        await AssertProblem(await host.GetAsync("/probe/export", SecureHost.Bearer(SecureHost.MerchandiserKey)), HttpStatusCode.Forbidden, AuthProblems.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/probe/export", SecureHost.Bearer(SecureHost.AnalystKey))).StatusCode);
        await AssertProblem(await host.GetAsync("/probe/privacy-admin"), HttpStatusCode.Unauthorized, AuthProblems.Unauthenticated);
    }

    [Fact]
    public async Task Routes_without_a_policy_stay_public()
    {
        await using var host = await SecureHost.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/public")).StatusCode);
    }

    [Fact]
    public async Task Me_names_the_key_and_its_role()
    {
        await using var host = await SecureHost.StartAsync();
        var response = await host.GetAsync("/v1/auth/me", SecureHost.XApiKey(SecureHost.MerchandiserKey));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("shop-team", body.RootElement.GetProperty("name").GetString());
        Assert.Equal(Roles.Merchandiser, body.RootElement.GetProperty("role").GetString());
        await AssertProblem(await host.GetAsync("/v1/auth/me"), HttpStatusCode.Unauthorized, AuthProblems.Unauthenticated);
    }
}
