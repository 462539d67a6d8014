using Analytics.TestUtilities;
using static Analytics.TestUtilities.AnonymizedEvents;

namespace Analytics.Storage.Tests;

public sealed class DeduplicationTests(ChDbFixture engine) : StoreTestBase(engine)
{
    private static AnonymizedEvent[] Block() =>
    [
        PageView("dedup", Today, 1, "/"), PageView("dedup", Today, 2, "/"),
        ProductView("dedup", Today, 1, "sku-1"), ProductView("dedup", Today, 3, "sku-1"),
    ];

    private async Task<(ulong Events, ulong PageViews, ulong ProductViews, ulong SeriesPageViews, ulong SeriesProductViews)> Counts()
    {
        var page = Assert.Single(await Run(StoreQueries.Pages, Range("dedup", Today, Today)));
        var product = Assert.Single(await Run(StoreQueries.Products, Range("dedup", Today, Today)));
        var day = Assert.Single(await Run(StoreQueries.Timeseries, Range("dedup", Today, Today)));
        return (
            await Scalar("SELECT count() FROM events"),
            page.GetProperty("views").GetUInt64(),
            product.GetProperty("views").GetUInt64(),
            day.GetProperty("page_views").GetUInt64(),
            day.GetProperty("product_views").GetUInt64());
    }

    [Fact]
    public async Task A_block_retried_with_the_same_token_is_counted_once_in_events_and_every_aggregate()
    {
        var block = Block();

        await Store.InsertEventsAsync(block, "batch:42.0-retry", Ct);
        await Store.InsertEventsAsync(block, "batch:42.0-retry", Ct);
        await Store.InsertEventsAsync(block, "batch:42.0-retry", Ct);

        Assert.Equal((4UL, 2UL, 2UL, 2UL, 2UL), await Counts());
        // Raw aggregate rows as well: one block's worth per table, whatever merges happened.
        Assert.Equal(2UL, await Scalar("SELECT sum(views) FROM page_stats_daily"));
        Assert.Equal(2UL, await Scalar("SELECT sum(views) FROM product_stats_daily"));
        Assert.Equal(2UL, await Scalar("SELECT sum(page_views) FROM site_stats_daily"));
    }

    [Fact]
    public async Task A_retry_on_a_new_store_instance_is_still_dropped()
    {
        await Store.InsertEventsAsync(Block(), "restart-1", Ct);
        await using (var restarted = new Analytics.Storage.ChDb.ChDbStore(Engine.OptionsFor(Store.Database)))
        {
            await restarted.InsertEventsAsync(Block(), "restart-1", Ct);
        }

        Assert.Equal((4UL, 2UL, 2UL, 2UL, 2UL), await Counts());
    }

    [Fact]
    public async Task The_same_rows_with_a_different_token_are_counted_again()
    {
        var block = Block();

        await Store.InsertEventsAsync(block, "batch-1", Ct);
        await Store.InsertEventsAsync(block, "batch-2", Ct);

        Assert.Equal((8UL, 4UL, 4UL, 4UL, 4UL), await Counts());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a'b")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("back\\slash")]
    public async Task Tokens_outside_the_safe_alphabet_are_rejected_before_reaching_the_engine(string token)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertEventsAsync(Block(), token, Ct));

        Assert.Equal(0UL, await Scalar("SELECT count() FROM events"));
    }
}
