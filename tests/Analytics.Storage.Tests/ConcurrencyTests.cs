using System.Globalization;
using Analytics.TestUtilities;
using static Analytics.TestUtilities.AnonymizedEvents;

namespace Analytics.Storage.Tests;

public sealed class ConcurrencyTests(ChDbFixture engine) : StoreTestBase(engine)
{
    [Fact]
    public async Task Concurrent_inserts_and_queries_from_many_threads_all_land_exactly_once()
    {
        const int writers = 8, blocksPerWriter = 10, rowsPerBlock = 50;

        var inserts = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var block = 0; block < blocksPerWriter; block++)
            {
                var rows = Enumerable.Range(0, rowsPerBlock)
                    .Select(i => PageView("busy", Today, (ulong)(writer * 1000 + i + 1), "/p" + (i % 5).ToString(CultureInfo.InvariantCulture)))
                    .ToArray();
                var token = $"w{writer}-b{block}";
                await Store.InsertEventsAsync(rows, token, Ct);
                // Every other block is retried, as a writer would after a timeout.
                if (block % 2 == 0)
                {
                    await Store.InsertEventsAsync(rows, token, Ct);
                }
            }
        }, Ct));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var pages = await Run(StoreQueries.Pages, Range("busy", Today, Today));
                Assert.True(pages.Count <= 5);
            }
        }, Ct));

        await Task.WhenAll(inserts.Concat(readers));

        const ulong expected = writers * blocksPerWriter * rowsPerBlock;
        Assert.Equal(expected, await Scalar("SELECT count() FROM events"));
        var pages = await Run(StoreQueries.Pages, Range("busy", Today, Today));
        Assert.Equal(expected, pages.Aggregate(0UL, (sum, p) => sum + p.GetProperty("views").GetUInt64()));
        var day = Assert.Single(await Run(StoreQueries.Timeseries, Range("busy", Today, Today)));
        Assert.Equal(expected, day.GetProperty("page_views").GetUInt64());
        Assert.Equal((ulong)(writers * rowsPerBlock), day.GetProperty("visitors").GetUInt64());
    }

    [Fact]
    public async Task Disposing_waits_for_running_statements_and_then_refuses_new_ones()
    {
        var store = new Analytics.Storage.ChDb.ChDbStore(Engine.OptionsFor(Store.Database, poolSize: 2));
        var running = Enumerable.Range(0, 6).Select(_ => store.QueryAsync("SELECT count() FROM numbers(2000000)", NoParameters, Ct)).ToArray();

        await store.DisposeAsync();

        await Task.WhenAll(running);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.QueryAsync("SELECT 1", NoParameters, Ct));
    }
}
