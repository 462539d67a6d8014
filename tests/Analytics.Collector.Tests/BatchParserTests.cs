using System.Text;

namespace Analytics.Collector.Tests;

public sealed class BatchParserTests
{
    private static BatchError Parse(string json, out ParsedBatch? batch) => BatchParser.TryParse(Encoding.UTF8.GetBytes(json), 100, out batch);

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var json = Events.Batch("demo", Events.PageView("/x").Replace("\"lang\"", "\"extra\":{\"deep\":[1,2]},\"lang\"", StringComparison.Ordinal)) ;
        Assert.Equal(BatchError.None, Parse(json.Replace("{\"site\"", "{\"v\":1,\"site\"", StringComparison.Ordinal), out var batch));
        Assert.Single(batch!.Events);
    }

    [Theory]
    [InlineData("""{"type":"click","id":"7b1d7c2e-6d1f-4f6e-9a55-0a0f6f3c1d11","ts":1,"url":"https://a.example/"}""", "unknown_type")]
    [InlineData("""{"type":"page_view","id":"not-a-uuid","ts":1,"url":"https://a.example/"}""", "invalid_id")]
    [InlineData("""{"type":"page_view","id":"7b1d7c2e-6d1f-4f6e-9a55-0a0f6f3c1d11","ts":"yesterday","url":"https://a.example/"}""", "invalid_ts")]
    [InlineData("""{"type":"page_view","id":"7b1d7c2e-6d1f-4f6e-9a55-0a0f6f3c1d11","ts":1,"url":"javascript:alert(1)"}""", "invalid_url")]
    [InlineData("""{"type":"page_view","id":"7b1d7c2e-6d1f-4f6e-9a55-0a0f6f3c1d11","ts":1,"url":"https://a.example/","title":5}""", "invalid_title")]
    [InlineData("""{"type":"product_view","id":"7b1d7c2e-6d1f-4f6e-9a55-0a0f6f3c1d11","ts":1,"url":"https://a.example/"}""", "missing_product")]
    [InlineData("""{"type":"product_view","id":"7b1d7c2e-6d1f-4f6e-9a55-0a0f6f3c1d11","ts":1,"url":"https://a.example/","product":{"id":"A","price":-1}}""", "invalid_product_price")]
    [InlineData("""17""", "not_an_object")]
    public void Rejects_an_invalid_event_with_its_reason(string ev, string reason)
    {
        Assert.Equal(BatchError.None, Parse(Events.Batch("demo", ev), out var batch));
        Assert.Empty(batch!.Events);
        Assert.Equal(new RejectedEvent(0, reason), Assert.Single(batch.Rejected));
    }

    [Fact]
    public void Field_lengths_are_bounded()
    {
        var longUrl = "https://a.example/" + new string('x', BatchParser.MaxUrlLength);
        var ev = $$"""{"type":"page_view","id":"7b1d7c2e-6d1f-4f6e-9a55-0a0f6f3c1d11","ts":1,"url":"{{longUrl}}"}""";
        Parse(Events.Batch("demo", ev), out var batch);
        Assert.Equal("invalid_url", Assert.Single(batch!.Rejected).Reason);
    }

    [Theory]
    [InlineData("[]", BatchError.NotAnObject)]
    [InlineData("""{"events":[]}""", BatchError.MissingSite)]
    [InlineData("""{"site":"demo"}""", BatchError.EventsNotArray)]
    [InlineData("""{"site":"demo","events":{}}""", BatchError.EventsNotArray)]
    [InlineData("""{"site":"demo","events":[""", BatchError.MalformedJson)]
    public void Refuses_batches_of_the_wrong_shape(string json, BatchError expected) => Assert.Equal(expected, Parse(json, out _));
}

public sealed class LayoutEventTests
{
    private static ParsedBatch Parse(string tail)
    {
        var ev = "{\"id\":\"7b1d7c2e-6d1f-4f6e-9a55-0a0f6f3c1d11\",\"ts\":1,\"url\":\"https://a.example/\"," + tail;
        Assert.Equal(BatchError.None, BatchParser.TryParse(System.Text.Encoding.UTF8.GetBytes(Events.Batch("demo", ev)), 100, out var batch));
        return batch!;
    }

    [Fact]
    public void List_impressions_and_clicks_carry_list_product_and_position()
    {
        var batch = Parse("\"type\":\"list_click\",\"list\":{\"name\":\"bestsellers\",\"product_id\":\"SKU-9\",\"position\":3}}");
        Assert.Equal(new Contracts.ListItem("bestsellers", "SKU-9", 3), Assert.Single(batch.Events).List);
    }

    [Fact]
    public void Engagement_carries_visible_time_and_scroll_depth()
    {
        var batch = Parse("\"type\":\"engagement\",\"engagement\":{\"visible_ms\":12000,\"max_scroll_pct\":75}}");
        Assert.Equal(new Contracts.Engagement(12000, 75), Assert.Single(batch.Events).Engagement);
    }

    [Theory]
    [InlineData("\"type\":\"list_impression\"}", "missing_list")]
    [InlineData("\"type\":\"list_impression\",\"list\":{\"name\":\"x\",\"product_id\":\"A\",\"position\":0}}", "invalid_list_position")]
    [InlineData("\"type\":\"engagement\",\"engagement\":{\"visible_ms\":-5}}", "invalid_engagement_visible_ms")]
    [InlineData("\"type\":\"engagement\",\"engagement\":{\"visible_ms\":5,\"max_scroll_pct\":101}}", "invalid_engagement_scroll")]
    public void Rejects_layout_events_without_their_payload(string tail, string reason) =>
        Assert.Equal(reason, Assert.Single(Parse(tail).Rejected).Reason);
}
