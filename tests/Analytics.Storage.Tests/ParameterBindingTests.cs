using Analytics.TestUtilities;
using static Analytics.TestUtilities.AnonymizedEvents;

namespace Analytics.Storage.Tests;

public sealed class ParameterBindingTests(ChDbFixture engine) : StoreTestBase(engine)
{
    [Theory]
    [InlineData("x' OR 1=1 --")]
    [InlineData("x'; DROP TABLE events; --")]
    [InlineData("shop\\' OR 1=1 --")]
    [InlineData("{site:String}")]
    public async Task A_hostile_site_value_matches_nothing_and_breaks_nothing(string site)
    {
        await Store.InsertEventsAsync([PageView("shop", Today, 1, "/")], "hostile-1", Ct);

        foreach (var query in new[] { StoreQueries.Pages, StoreQueries.Products, StoreQueries.Timeseries })
        {
            Assert.Empty(await Run(query, Range(site, Today, Today)));
        }

        Assert.Single(await Run(StoreQueries.Pages, Range("shop", Today, Today)));
        Assert.Equal(1UL, await Scalar("SELECT count() FROM events"));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("quote ' and \" and `")]
    [InlineData("back\\slash and \\t not a tab")]
    [InlineData("tab\there, newline\nthere, cr\r, nul\0")]
    [InlineData("ünïcödé 🚀")]
    public async Task String_parameters_arrive_verbatim(string value)
    {
        var rows = await Store.QueryAsync(
            "SELECT {value:String} AS value, length({value:String}) AS bytes",
            new Dictionary<string, string> { ["value"] = value }, Ct);

        var row = Assert.Single(rows);
        Assert.Equal(value, row.GetProperty("value").GetString());
        Assert.Equal((ulong)System.Text.Encoding.UTF8.GetByteCount(value), row.GetProperty("bytes").GetUInt64());
    }

    [Fact]
    public async Task A_parameter_that_does_not_parse_as_its_type_fails_with_the_engine_message()
    {
        var parameters = Range("shop", Today, Today);
        parameters["from"] = "not-a-date";

        var error = await Assert.ThrowsAsync<AnalyticsStoreException>(() => Run(StoreQueries.Pages, parameters));

        Assert.Equal(38, error.EngineCode);
        Assert.Contains("from", error.Message);
    }

    [Fact]
    public async Task A_missing_parameter_fails_with_the_engine_message()
    {
        var error = await Assert.ThrowsAsync<AnalyticsStoreException>(() =>
            Store.QueryAsync(StoreQueries.Get(StoreQueries.Pages), new Dictionary<string, string> { ["site"] = "shop" }, Ct));

        Assert.Equal("UNKNOWN_QUERY_PARAMETER", error.EngineErrorName);
    }

    [Fact]
    public async Task A_rejected_insert_reports_the_column_but_no_row_data()
    {
        var row = PageView("secret-site-name", Today, 1, "/secret-path") with { ProductPrice = 99_999_999_999_999_999_999m };

        var error = await Assert.ThrowsAsync<AnalyticsStoreException>(() => Store.InsertEventsAsync([row], "bad-1", Ct));

        Assert.DoesNotContain("secret", error.Message);
        Assert.DoesNotContain("99999", error.Message);
        Assert.NotNull(error.EngineCode);
    }
}
