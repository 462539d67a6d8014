extern alias cli;
using Analytics.TestUtilities;

namespace Analytics.EndToEnd.Tests;

/// <summary>Every table that stores rows has a TTL (docs/retention.md).</summary>
public sealed class RetentionTests(ChDbFixture chdb)
{
    // The migration ledger holds no data about visitors and must outlive every migration.
    private static readonly HashSet<string> WithoutTtl = ["schema_migrations"];

    [Fact]
    public async Task Every_MergeTree_table_of_a_migrated_store_has_a_TTL()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("retention", ct);
        var tables = await store.QueryAsync(
            "SELECT name, create_table_query FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree%' ORDER BY name",
            new Dictionary<string, string>(), ct);
        Assert.Contains(tables, t => t.GetProperty("name").GetString() == "events");
        var missing = tables
            .Where(t => !WithoutTtl.Contains(t.GetProperty("name").GetString()!))
            .Where(t => cli::Analytics.Cli.Commands.StoreSchema.Ttl(t.GetProperty("create_table_query").GetString()!) is null)
            .Select(t => t.GetProperty("name").GetString())
            .ToList();
        Assert.True(missing.Count == 0, "tables without a TTL (rows would be kept forever): " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Events_are_kept_30_days_and_aggregates_25_months()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("retention_values", ct);
        var schema = await cli::Analytics.Cli.Commands.StoreSchema.ReadAsync(store, ct);
        Assert.Equal("day + toIntervalDay(30)", schema.Single(t => t.Name == "events").Ttl);
        foreach (var t in schema.Where(t => t.Name.EndsWith("_stats_daily", StringComparison.Ordinal)))
        {
            Assert.Equal("day + toIntervalMonth(25)", t.Ttl);
        }
    }
}
