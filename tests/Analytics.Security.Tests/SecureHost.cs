using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using Analytics.Stats;
using Analytics.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.Security.Tests;

/// <summary>A store that answers every query with no rows; a proxy, so it follows the interface as it grows.</summary>
public class EmptyStore : DispatchProxy
{
    public static IAnalyticsStore Create() => Create<IAnalyticsStore, EmptyStore>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod!.ReturnType switch
    {
        var t when t == typeof(Task) => Task.CompletedTask,
        var t when t == typeof(Task<IReadOnlyList<JsonElement>>) => Task.FromResult<IReadOnlyList<JsonElement>>([]),
        _ => throw new NotSupportedException(targetMethod.Name),
    };
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// The stats API behind the security layer on an in-memory server, with one key per role, the login <c>alice</c>
/// (analyst), probe routes for the stricter policies and a stand-in dashboard.
/// </summary>
internal sealed class SecureHost : IAsyncDisposable
{
    public const string MerchandiserKey = "merchandiser-key-0123456789abcdefghijklmnopqrstuv";
    public const string AnalystKey = "analyst-key-0123456789abcdefghijklmnopqrstuvwxyz";
    public const string AdminKey = "admin-key-0123456789abcdefghijklmnopqrstuvwxyzab";
    public const string AlicePassword = "correct horse battery staple";

    private static readonly Lazy<string> AliceHash = new(() => new PasswordHasher<object>().HashPassword(new object(), AlicePassword));

    private readonly WebApplication _app;

    private SecureHost(WebApplication app, StringWriter output)
    {
        _app = app;
        Output = output;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }
    public StringWriter Output { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>Every route of the stats group, as mapped (so a route added later is covered without editing the tests).</summary>
    public IReadOnlyList<string> StatsRoutes =>
        _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? "")
            .Where(p => p.StartsWith("/v1/stats/", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal).ToList();

    public static async Task<SecureHost> StartAsync(Dictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sites:0:Id"] = "demo",
            ["Sites:0:TimeZone"] = "UTC",
            ["Auth:ApiKeys:0:Name"] = "shop-team",
            ["Auth:ApiKeys:0:Hash"] = ApiKeyHash.Hash(MerchandiserKey),
            ["Auth:ApiKeys:0:Role"] = Roles.Merchandiser,
            ["Auth:ApiKeys:1:Name"] = "bi",
            ["Auth:ApiKeys:1:Hash"] = ApiKeyHash.Hash(AnalystKey).ToUpperInvariant(),
            ["Auth:ApiKeys:1:Role"] = Roles.Analyst,
            ["Auth:ApiKeys:2:Name"] = "dpo",
            ["Auth:ApiKeys:2:Hash"] = ApiKeyHash.Hash(AdminKey),
            ["Auth:ApiKeys:2:Role"] = Roles.PrivacyAdmin,
            ["Auth:Users:0:Name"] = "alice",
            ["Auth:Users:0:PasswordHash"] = AliceHash.Value,
            ["Auth:Users:0:Role"] = Roles.Analyst,
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        if (time is not null) builder.Services.AddSingleton(time);
        builder.AddStats();
        builder.Services.AddSingleton(EmptyStore.Create());
        builder.AddAnalyticsSecurity();

        var app = builder.Build();
        app.UseAnalyticsSecurity();
        app.MapAuthEndpoints();
        app.MapStatsEndpoints().RequireAuthorization(Policies.ReadStats);
        app.MapGet("/probe/export", () => "export").RequireAuthorization(Policies.Export);
        app.MapGet("/probe/privacy-admin", () => "admin").RequireAuthorization(Policies.PrivacyAdmin);
        app.MapGet("/public", () => "public");
        app.MapGet("/dashboard/{**page}", (string? page) => Results.Text($"<h1>{page}</h1>", "text/html"));

        var output = new StringWriter();
        app.Services.GetRequiredService<CredentialStore>().Output = output;
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new SecureHost(app, output);
    }

    public Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestHeaders>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        headers?.Invoke(request.Headers);
        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static Action<HttpRequestHeaders> Bearer(string key) => h => h.Authorization = new AuthenticationHeaderValue("Bearer", key);

    public static Action<HttpRequestHeaders> XApiKey(string key) => h => h.Add("X-Api-Key", key);

    public static Action<HttpRequestHeaders> Cookie(string cookie) => h => h.Add("Cookie", cookie);

    /// <summary>Logs in with JSON and returns the <c>name=value</c> of the session cookie (null when refused).</summary>
    public async Task<(HttpResponseMessage Response, string? Cookie)> LoginAsync(string username, string password)
    {
        var response = await Client.PostAsync("/v1/auth/login",
            JsonContent(new { username, password }), TestContext.Current.CancellationToken);
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.Select(v => v.Split(';')[0]).FirstOrDefault(v => v.StartsWith("analytics_session=", StringComparison.Ordinal))
            : null;
        return (response, cookie);
    }

    public static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
