using Analytics.Storage.ClickHouseServer;
using ClickHouse.Driver.ADO;
using static Analytics.TestUtilities.AnonymizedEvents;

namespace Analytics.Storage.Tests;

/// <summary>Runs against a real server only when <c>CLICKHOUSE_URL</c> is set (e.g. <c>http://default:@localhost:8123</c>).</summary>
public sealed class ClickHouseServerStoreTests : IAsyncLifetime
{
    private static readonly string? Url = Environment.GetEnvironmentVariable("CLICKHOUSE_URL");
    private readonly string _database = "analytics_test_" + Guid.NewGuid().ToString("N")[..12];
    private ClickHouseServerStore? _admin;
    private ClickHouseServerStore? _store;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ClickHouseServerStore Store => _store ?? throw new InvalidOperationException("Not initialized.");

    private static string ConnectionString(string database)
    {
        var uri = new Uri(Url!);
        var userInfo = uri.UserInfo.Split(':', 2);
        return new ClickHouseConnectionStringBuilder
        {
            Host = uri.Host,
            Port = (ushort)uri.Port,
            Protocol = uri.Scheme,
            Username = userInfo[0] is { Length: > 0 } user ? Uri.UnescapeDataString(user) : "default",
            Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "",
            Database = database,
        }.ConnectionString;
    }

    public async ValueTask InitializeAsync()
    {
        if (string.IsNullOrEmpty(Url))
        {
            return;
        }

        _admin = new ClickHouseServerStore(ConnectionString("default"));
        await _admin.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {_database}", new Dictionary<string, string>(), Ct);
        _store = new ClickHouseServerStore(ConnectionString(_database));
        await _store.MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_admin is not null)
        {
            await _admin.ExecuteAsync($"DROP DATABASE IF EXISTS {_database}", new Dictionary<string, string>(), CancellationToken.None);
            await _admin.DisposeAsync();
        }
    }

    private static void SkipWithoutServer() =>
        Assert.SkipWhen(string.IsNullOrEmpty(Url), "CLICKHOUSE_URL is not set; no ClickHouse server to test against.");

    private static Dictionary<string, string> Range(string site) => new()
    {
        ["site"] = site,
        ["from"] = Today.ToString("yyyy-MM-dd"),
        ["to"] = Today.ToString("yyyy-MM-dd"),
        ["min_visitors"] = "0",
        ["limit"] = "100",
    };

    [Fact]
    public async Task Server_migrations_are_idempotent()
    {
        SkipWithoutServer();

        await Store.MigrateAsync(Ct);

        var versions = await Store.QueryAsync("SELECT count() AS n FROM schema_migrations FINAL", new Dictionary<string, string>(), Ct);
        Assert.Equal((ulong)SchemaMigrations.All.Count, Assert.Single(versions).GetProperty("n").GetUInt64());
    }

    [Fact]
    public async Task Server_counts_a_retried_block_once_and_a_new_token_again()
    {
        SkipWithoutServer();
        AnonymizedEvent[] block = [PageView("srv", Today, 1, "/"), PageView("srv", Today, 2, "/"), ProductView("srv", Today, 1, "sku")];

        await Store.InsertEventsAsync(block, "srv-1", Ct);
        await Store.InsertEventsAsync(block, "srv-1", Ct);
        var once = Assert.Single(await Store.QueryAsync(StoreQueries.Get(StoreQueries.Timeseries), Range("srv"), Ct));
        await Store.InsertEventsAsync(block, "srv-2", Ct);
        var twice = Assert.Single(await Store.QueryAsync(StoreQueries.Get(StoreQueries.Timeseries), Range("srv"), Ct));

        Assert.Equal(2UL, once.GetProperty("page_views").GetUInt64());
        Assert.Equal(1UL, once.GetProperty("product_views").GetUInt64());
        Assert.Equal(2UL, once.GetProperty("visitors").GetUInt64());
        Assert.Equal(4UL, twice.GetProperty("page_views").GetUInt64());
    }

    [Fact]
    public async Task Server_binds_a_hostile_site_value_safely()
    {
        SkipWithoutServer();
        await Store.InsertEventsAsync([PageView("shop", Today, 1, "/")], "srv-hostile", Ct);

        Assert.Empty(await Store.QueryAsync(StoreQueries.Get(StoreQueries.Pages), Range("x' OR 1=1 --"), Ct));
        Assert.Single(await Store.QueryAsync(StoreQueries.Get(StoreQueries.Pages), Range("shop"), Ct));
    }
}
