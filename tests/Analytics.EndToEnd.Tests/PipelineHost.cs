using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Analytics.Storage;
using Analytics.Storage.ChDb;
using Analytics.TestUtilities;
using Analytics.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.EndToEnd.Tests;

/// <summary>
/// The real one-process host (Program.cs: collector → in-process transport → anonymizer → chDB → stats API) on a
/// real Kestrel port, with its own database on the test process's chDB engine, so client IPs travel exactly as in
/// production (X-Forwarded-For from the trusted loopback proxy).
/// </summary>
public sealed class PipelineHost : IAsyncDisposable
{
    public const string ApiKey = "e2e-test-key-5b0c1f0a9d7e4f2b8c3a1e6d";

    private readonly ChDbFixture _chdb;
    private readonly WebApplication _app;

    public PipelineHost(ChDbFixture chdb, int minVisitors = 1, Dictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        _chdb = chdb;
        Database = ChDbFixture.NewDatabaseName("e2e");
        var config = new Dictionary<string, string?>(chdb.ConfigurationFor(Database))
        {
            ["Stats:MinVisitors"] = minVisitors.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Auth:ApiKeys:0:Name"] = "e2e",
            ["Auth:ApiKeys:0:Role"] = "analyst",
            ["Auth:ApiKeys:0:Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey))),
            ["Auth:DevelopmentKeyFile"] = "",
            ["Auth:DevelopmentUserFile"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? []) config[k] = v;
        _app = AnalyticsHost.Create(["--urls", "http://127.0.0.1:0"], config, configure);
    }

    /// <summary>Starts the host (migrations, anonymizer, Kestrel on a free port).</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        await _app.StartAsync(ct);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The host's services (metrics, endpoints).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The chDB database this host writes to.</summary>
    public string Database { get; }

    /// <summary>Base address of the running host, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client for the read API, authenticated with the test key.</summary>
    public HttpClient StatsClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    /// <summary>A second store on the same database, to look at what the host wrote.</summary>
    public ChDbStore OpenStore() => new(_chdb.OptionsFor(Database, poolSize: 2));

    /// <summary>Every row of every table and view in this host's database, as JSON text.</summary>
    public async Task<string> DumpAllTablesAsync(CancellationToken ct)
    {
        await using var store = OpenStore();
        var tables = await store.QueryAsync(
            "SELECT name FROM system.tables WHERE database = {db:String} AND engine NOT IN ('MaterializedView', 'View')",
            new Dictionary<string, string> { ["db"] = Database }, ct);
        var dump = new StringBuilder();
        foreach (var t in tables)
        {
            var name = t.GetProperty("name").GetString()!;
            Assert.True(StorageIdentifiers.IsValidIdentifier(name));
            var rows = await store.QueryAsync($"SELECT * FROM `{name}`", new Dictionary<string, string>(), ct);
            foreach (var row in rows) dump.AppendLine(JsonSerializer.Serialize(row));
        }
        return dump.ToString();
    }
}
