using Analytics.TestUtilities;
using static Analytics.TestUtilities.AnonymizedEvents;

namespace Analytics.Storage.Tests;

public sealed class AggregateQueryTests(ChDbFixture engine) : StoreTestBase(engine)
{
    [Fact]
    public async Task Pages_query_returns_views_and_distinct_visitors_per_path_ordered_by_views()
    {
        var yesterday = Today.AddDays(-1);
        await Store.InsertEventsAsync(
        [
            PageView("shop", Today, 1, "/"), PageView("shop", Today, 1, "/"), PageView("shop", Today, 2, "/"),
            PageView("shop", yesterday, 1, "/"), PageView("shop", Today, 3, "/about"),
            PageView("other-site", Today, 9, "/"),
        ], "pages-1", Ct);

        var rows = await Run(StoreQueries.Pages, Range("shop", yesterday, Today));

        Assert.Equal(2, rows.Count);
        Assert.Equal("/", rows[0].GetProperty("path").GetString());
        Assert.Equal(4UL, rows[0].GetProperty("views").GetUInt64());
        Assert.Equal(2UL, rows[0].GetProperty("visitors").GetUInt64());
        Assert.Equal("/about", rows[1].GetProperty("path").GetString());
        Assert.Equal(1UL, rows[1].GetProperty("views").GetUInt64());
    }

    [Fact]
    public async Task Pages_query_honours_the_day_range_and_limit()
    {
        await Store.InsertEventsAsync(
        [
            PageView("range", Today.AddDays(-3), 1, "/old"),
            PageView("range", Today, 1, "/a"), PageView("range", Today, 1, "/a"), PageView("range", Today, 1, "/b"),
        ], "range-1", Ct);

        var rows = await Run(StoreQueries.Pages, Range("range", Today.AddDays(-1), Today, limit: 1));

        Assert.Equal("/a", Assert.Single(rows).GetProperty("path").GetString());
    }

    [Fact]
    public async Task Products_query_returns_name_category_views_and_distinct_visitors()
    {
        await Store.InsertEventsAsync(
        [
            ProductView("shop", Today, 1, "sku-1", "Kettle", "Kitchen"),
            ProductView("shop", Today, 2, "sku-1", "Kettle", "Kitchen"),
            ProductView("shop", Today, 2, "sku-1", "Kettle", "Kitchen"),
            ProductView("shop", Today, 3, "sku-2", "Mug", "Kitchen"),
            PageView("shop", Today, 4, "/"),
        ], "products-1", Ct);

        var rows = await Run(StoreQueries.Products, Range("shop", Today, Today));

        Assert.Equal(2, rows.Count);
        var kettle = rows[0];
        Assert.Equal("sku-1", kettle.GetProperty("product_id").GetString());
        Assert.Equal("Kettle", kettle.GetProperty("name").GetString());
        Assert.Equal("Kitchen", kettle.GetProperty("category").GetString());
        Assert.Equal(3UL, kettle.GetProperty("views").GetUInt64());
        Assert.Equal(2UL, kettle.GetProperty("visitors").GetUInt64());
        Assert.Equal("sku-2", rows[1].GetProperty("product_id").GetString());
    }

    [Fact]
    public async Task Timeseries_query_returns_daily_page_views_product_views_and_visitors()
    {
        var yesterday = Today.AddDays(-1);
        await Store.InsertEventsAsync(
        [
            PageView("series", yesterday, 1, "/"),
            PageView("series", Today, 1, "/"), PageView("series", Today, 2, "/x"),
            ProductView("series", Today, 2, "sku-1"), ProductView("series", Today, 3, "sku-1"),
        ], "series-1", Ct);

        var rows = await Run(StoreQueries.Timeseries, Range("series", yesterday.AddDays(-5), Today));

        Assert.Equal(2, rows.Count);
        Assert.Equal(yesterday.ToString("yyyy-MM-dd"), rows[0].GetProperty("day").GetString());
        Assert.Equal(1UL, rows[0].GetProperty("page_views").GetUInt64());
        Assert.Equal(0UL, rows[0].GetProperty("product_views").GetUInt64());
        Assert.Equal(1UL, rows[0].GetProperty("visitors").GetUInt64());
        Assert.Equal(Today.ToString("yyyy-MM-dd"), rows[1].GetProperty("day").GetString());
        Assert.Equal(2UL, rows[1].GetProperty("page_views").GetUInt64());
        Assert.Equal(2UL, rows[1].GetProperty("product_views").GetUInt64());
        Assert.Equal(3UL, rows[1].GetProperty("visitors").GetUInt64());
    }

    [Fact]
    public async Task Bots_are_stored_as_events_but_left_out_of_every_aggregate()
    {
        await Store.InsertEventsAsync(
        [
            PageView("bots", Today, 1, "/"),
            PageView("bots", Today, 2, "/", isBot: true),
            PageView("bots", Today, 3, "/crawled-only", isBot: true),
            ProductView("bots", Today, 2, "sku-1", isBot: true),
        ], "bots-1", Ct);

        var pages = await Run(StoreQueries.Pages, Range("bots", Today, Today));
        var products = await Run(StoreQueries.Products, Range("bots", Today, Today));
        var series = await Run(StoreQueries.Timeseries, Range("bots", Today, Today));

        var page = Assert.Single(pages);
        Assert.Equal(1UL, page.GetProperty("views").GetUInt64());
        Assert.Equal(1UL, page.GetProperty("visitors").GetUInt64());
        Assert.Empty(products);
        var day = Assert.Single(series);
        Assert.Equal(1UL, day.GetProperty("page_views").GetUInt64());
        Assert.Equal(0UL, day.GetProperty("product_views").GetUInt64());
        Assert.Equal(1UL, day.GetProperty("visitors").GetUInt64());
        Assert.Equal(4UL, await Scalar("SELECT count() FROM events WHERE site = 'bots'"));
    }

    [Fact]
    public async Task Min_visitors_suppresses_rows_seen_by_fewer_distinct_visitors()
    {
        await Store.InsertEventsAsync(
        [
            // "/popular": 3 visitors. "/niche": many views, but one visitor: must not be shown at k = 2.
            PageView("k", Today, 1, "/popular"), PageView("k", Today, 2, "/popular"), PageView("k", Today, 3, "/popular"),
            PageView("k", Today, 4, "/niche"), PageView("k", Today, 4, "/niche"), PageView("k", Today, 4, "/niche"),
            PageView("k", Today, 4, "/niche"),
            ProductView("k", Today, 1, "sku-many"), ProductView("k", Today, 2, "sku-many"),
            ProductView("k", Today, 5, "sku-one"),
        ], "k-1", Ct);

        var pages = await Run(StoreQueries.Pages, Range("k", Today, Today, minVisitors: 2));
        var products = await Run(StoreQueries.Products, Range("k", Today, Today, minVisitors: 2));
        var suppressedDay = await Run(StoreQueries.Timeseries, Range("k", Today, Today, minVisitors: 6));
        var shownDay = await Run(StoreQueries.Timeseries, Range("k", Today, Today, minVisitors: 5));

        Assert.Equal("/popular", Assert.Single(pages).GetProperty("path").GetString());
        Assert.Equal("sku-many", Assert.Single(products).GetProperty("product_id").GetString());
        Assert.Empty(suppressedDay);
        Assert.Single(shownDay);
    }

    [Fact]
    public async Task Visitor_key_zero_counts_views_but_no_visitor()
    {
        await Store.InsertEventsAsync([PageView("nokey", Today, 0, "/"), PageView("nokey", Today, 0, "/")], "nokey-1", Ct);

        var page = Assert.Single(await Run(StoreQueries.Pages, Range("nokey", Today, Today)));

        Assert.Equal(2UL, page.GetProperty("views").GetUInt64());
        Assert.Equal(0UL, page.GetProperty("visitors").GetUInt64());
    }

    [Fact]
    public async Task Events_round_trip_every_column_including_full_range_visitor_keys()
    {
        var row = ProductView("roundtrip", Today, ulong.MaxValue, "sku-ü", "Tee \"quoted\" \\ back", "Ä/Ö") with
        {
            Query = "utm_source=news&ref=x",
            ReferrerHost = "example.org",
            Lang = "de-DE",
            Timestamp = Today.ToDateTime(new TimeOnly(23, 59, 58, 123), DateTimeKind.Utc),
            ProductPrice = 1234.5678m,
        };
        await Store.InsertEventsAsync([row], "roundtrip-1", Ct);

        var stored = Assert.Single(await Store.QueryAsync(
            "SELECT * FROM events WHERE site = {site:String}", new Dictionary<string, string> { ["site"] = "roundtrip" }, Ct));

        Assert.Equal(ulong.MaxValue, stored.GetProperty("visitor_key").GetUInt64());
        Assert.Equal(row.EventId, stored.GetProperty("event_id").GetGuid());
        Assert.Equal("Tee \"quoted\" \\ back", stored.GetProperty("product_name").GetString());
        Assert.Equal("Ä/Ö", stored.GetProperty("product_category").GetString());
        Assert.Equal("utm_source=news&ref=x", stored.GetProperty("query").GetString());
        Assert.Equal(1234.5678m, stored.GetProperty("product_price").GetDecimal());
        Assert.Equal(Today.ToString("yyyy-MM-dd") + " 23:59:58.123", stored.GetProperty("ts").GetString());
        Assert.True(stored.GetProperty("is_bot").ValueKind == System.Text.Json.JsonValueKind.False);
    }

    [Fact]
    public async Task Inserting_an_empty_list_does_nothing()
    {
        await Store.InsertEventsAsync([], "empty-1", Ct);

        Assert.Equal(0UL, await Scalar("SELECT count() FROM events"));
    }
}
