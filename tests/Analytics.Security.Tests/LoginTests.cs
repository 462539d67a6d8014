using System.Net;
using System.Text.Json;

namespace Analytics.Security.Tests;

public sealed class LoginTests
{
    [Fact]
    public async Task Login_sets_a_strict_http_only_session_cookie_that_reads_stats_until_logout()
    {
        await using var host = await SecureHost.StartAsync();
        var (response, cookie) = await host.LoginAsync("alice", SecureHost.AlicePassword);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.NotNull(cookie);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith("analytics_session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", setCookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", setCookie, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", setCookie, StringComparison.Ordinal); // plain http here; https gets Secure

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/v1/stats/pages?site=demo", SecureHost.Cookie(cookie))).StatusCode);
        var me = await host.GetAsync("/v1/auth/me", SecureHost.Cookie(cookie));
        using (var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)))
        {
            Assert.Equal("alice", body.RootElement.GetProperty("name").GetString());
            Assert.Equal(Roles.Analyst, body.RootElement.GetProperty("role").GetString());
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await host.GetAsync("/probe/privacy-admin", SecureHost.Cookie(cookie))).StatusCode);

        var logout = new HttpRequestMessage(HttpMethod.Post, "/v1/auth/logout");
        logout.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.SendAsync(logout, TestContext.Current.CancellationToken)).StatusCode);
        // The session ends on the server: even a copy of the old cookie no longer works.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.GetAsync("/v1/stats/pages?site=demo", SecureHost.Cookie(cookie))).StatusCode);
    }

    [Fact]
    public async Task Login_accepts_a_form_and_usernames_in_any_case()
    {
        await using var host = await SecureHost.StartAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "Alice", ["password"] = SecureHost.AlicePassword });
        var response = await host.Client.PostAsync("/v1/auth/login", form, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_401_problem()
    {
        await using var host = await SecureHost.StartAsync();
        var (wrong, wrongCookie) = await host.LoginAsync("alice", "Tr0ub4dor&3");
        var (unknown, unknownCookie) = await host.LoginAsync("mallory", "Tr0ub4dor&3");
        Assert.Null(wrongCookie);
        Assert.Null(unknownCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await WithoutTraceId(wrong), await WithoutTraceId(unknown));
    }

    private static async Task<string> WithoutTraceId(HttpResponseMessage response)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
        body.Remove("traceId");
        return body.ToJsonString();
    }

    [Fact]
    public async Task An_unknown_user_costs_a_password_verification_like_a_known_one()
    {
        await using var host = await SecureHost.StartAsync();
        var store = (CredentialStore)host.Services.GetService(typeof(CredentialStore))!;
        store.VerifyPassword("alice", "warm-up");
        static TimeSpan Time(Action a)
        {
            var best = TimeSpan.MaxValue;
            for (var i = 0; i < 3; i++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                a();
                var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (took < best) best = took;
            }
            return best;
        }
        var known = Time(() => store.VerifyPassword("alice", "wrong"));
        var unknown = Time(() => store.VerifyPassword("nobody", "wrong"));
        // PBKDF2 dominates both; a short-cut for unknown users would be orders of magnitude faster.
        Assert.True(unknown > known / 4, $"unknown user took {unknown.TotalMilliseconds:0.0} ms, known {known.TotalMilliseconds:0.0} ms");
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_username_for_a_while()
    {
        var clock = new ManualClock();
        await using var host = await SecureHost.StartAsync(new() { ["Auth:Login:MaxFailures"] = "3", ["Auth:Login:Lockout"] = "00:02:00" }, clock);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await host.LoginAsync("alice", "guess" + i)).Response.StatusCode);

        var (locked, cookie) = await host.LoginAsync("alice", SecureHost.AlicePassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Null(cookie);
        Assert.Equal(TimeSpan.FromMinutes(2), locked.Headers.RetryAfter?.Delta);

        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NoContent, (await host.LoginAsync("alice", SecureHost.AlicePassword)).Response.StatusCode);
    }

    [Fact]
    public async Task The_login_route_is_rate_limited_per_address()
    {
        await using var host = await SecureHost.StartAsync(new() { ["Auth:Login:AttemptsPerMinute"] = "2" });
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.LoginAsync("a", "b")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.LoginAsync("c", "d")).Response.StatusCode);
        var limited = (await host.LoginAsync("alice", SecureHost.AlicePassword)).Response;
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Malformed_login_requests_answer_400_or_415()
    {
        await using var host = await SecureHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.PostAsync("/v1/auth/login", SecureHost.JsonContent(new { username = "alice" }), ct)).StatusCode);
        using var bad = new StringContent("{", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.PostAsync("/v1/auth/login", bad, ct)).StatusCode);
        using var text = new StringContent("alice", System.Text.Encoding.UTF8, "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await host.Client.PostAsync("/v1/auth/login", text, ct)).StatusCode);
    }
}
