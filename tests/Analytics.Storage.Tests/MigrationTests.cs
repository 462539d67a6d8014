using Analytics.TestUtilities;

namespace Analytics.Storage.Tests;

public sealed class MigrationTests(ChDbFixture engine) : StoreTestBase(engine)
{
    [Fact]
    public async Task Migrating_twice_applies_each_migration_once_and_keeps_data()
    {
        await Store.InsertEventsAsync([AnonymizedEvents.PageView("shop", Today, 1, "/")], "migration-test-1", Ct);

        await Store.MigrateAsync(Ct);
        await using (var second = new Analytics.Storage.ChDb.ChDbStore(Engine.OptionsFor(Store.Database)))
        {
            await second.MigrateAsync(Ct);
        }

        var versions = await Store.QueryAsync("SELECT version, count() AS n FROM schema_migrations FINAL GROUP BY version ORDER BY version", NoParameters, Ct);
        Assert.Equal(SchemaMigrations.All.Select(m => m.Version), versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.All(versions, v => Assert.Equal(1, v.GetProperty("n").GetInt32()));
        Assert.Equal(1UL, await Scalar("SELECT count() FROM events"));
    }

    [Fact]
    public async Task Migrations_create_events_aggregates_and_their_views()
    {
        var tables = await Store.QueryAsync(
            "SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name", NoParameters, Ct);

        // later migrations add more aggregates; these are the core every stats route relies on
        Assert.Superset(
            new HashSet<string?> { "events", "page_stats_daily", "page_stats_daily_mv", "product_stats_daily", "product_stats_daily_mv",
                "schema_migrations", "site_stats_daily", "site_stats_daily_mv" },
            tables.Select(t => t.GetProperty("name").GetString()).ToHashSet());
    }

    [Fact]
    public async Task Every_table_fed_by_inserts_has_a_ttl_and_its_own_deduplication_window()
    {
        var tables = await Store.QueryAsync(
            """
            SELECT name, create_table_query FROM system.tables
            WHERE database = currentDatabase() AND engine LIKE '%MergeTree' AND name != 'schema_migrations'
            """, NoParameters, Ct);

        var views = (await Store.QueryAsync(
            "SELECT name FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'", NoParameters, Ct))
            .Select(v => v.GetProperty("name").GetString()!).ToHashSet();
        Assert.True(tables.Count >= 4);
        Assert.All(tables, t =>
        {
            var name = t.GetProperty("name").GetString()!;
            var ddl = t.GetProperty("create_table_query").GetString()!;
            Assert.Contains(" TTL ", ddl);
            // events and every aggregate a materialized view feeds must drop a retried block on their own
            if (name == "events" || views.Contains(name + "_mv")) Assert.Contains("non_replicated_deduplication_window = 10000", ddl);
        });
    }

    [Fact]
    public void Migrations_are_numbered_uniquely_in_order_and_split_into_statements()
    {
        // numbers are unique and increasing; ranges are reserved per area (010 dashboard, 020 recommendations, 030 privacy)
        var all = SchemaMigrations.All;
        Assert.Equal(all.Select(m => m.Version).Order(), all.Select(m => m.Version));
        Assert.Equal(all.Count, all.Select(m => m.Version).Distinct().Count());
        Assert.All(all, m => Assert.NotEmpty(m.Statements));
        Assert.Equal(2, all.Single(m => m.Name == "page_stats_daily").Statements.Count);
    }
}
