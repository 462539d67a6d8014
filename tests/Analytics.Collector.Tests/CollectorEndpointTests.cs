using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Analytics.Collector.Tests;

public sealed class CollectorEndpointTests
{
    private static StringContent Body(string json, string contentType = "text/plain") =>
        new(json, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType));

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string typeSuffix)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json(response);
        Assert.EndsWith(typeSuffix, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=UTF-8")]
    [InlineData("application/json")]
    public async Task Accepts_a_valid_batch_as_text_plain_or_json(string contentType)
    {
        await using var host = await CollectorHost.StartAsync();
        var response = await host.Client.PostAsync("/v1/events", Body(Events.Batch("demo", Events.PageView("/a"), Events.ProductView("SKU-7")), contentType), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await Json(response);
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(0, answer.GetProperty("rejected").GetArrayLength());
        Assert.Equal(2, host.Transport.Events.Count);
        var product = host.Transport.Events[1];
        Assert.Equal("SKU-7", product.Product!.Id);
        Assert.Equal("skincare/serums", product.Product.Category);
        Assert.Equal(29.9m, product.Product.Price);
    }

    [Fact]
    public async Task Mixed_batch_keeps_the_valid_events_and_names_the_rejected_index()
    {
        await using var host = await CollectorHost.StartAsync();
        var body = Events.Batch("demo", Events.PageView("/one"), """{"type":"page_view","url":12}""", Events.PageView("/three"));

        var response = await host.Client.PostAsync("/v1/events", Body(body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await Json(response);
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(answer.GetProperty("rejected").EnumerateArray());
        Assert.Equal(1, rejected.GetProperty("index").GetInt32());
        Assert.False(string.IsNullOrEmpty(rejected.GetProperty("reason").GetString()));
        Assert.Equal(["https://demo.example/one", "https://demo.example/three"], host.Transport.Events.Select(e => e.Url));
    }

    [Fact]
    public async Task Malformed_json_gets_a_problem()
    {
        await using var host = await CollectorHost.StartAsync();
        var response = await host.Client.PostAsync("/v1/events", Body("""{"site":"demo","events":[{"""), TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.BadRequest, "malformed-json");
        Assert.Empty(host.Transport.Events);
    }

    [Fact]
    public async Task Non_json_gets_a_problem()
    {
        await using var host = await CollectorHost.StartAsync();
        var response = await host.Client.PostAsync("/v1/events", Body("hello"), TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.BadRequest, "malformed-json");
    }

    [Fact]
    public async Task Events_of_the_wrong_type_get_a_problem()
    {
        await using var host = await CollectorHost.StartAsync();
        var response = await host.Client.PostAsync("/v1/events", Body("""{"site":"demo","events":7}"""), TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.BadRequest, "invalid-batch");
    }

    [Fact]
    public async Task Unknown_site_gets_a_problem()
    {
        await using var host = await CollectorHost.StartAsync();
        var response = await host.Client.PostAsync("/v1/events", Body(Events.Batch("no-such-site", Events.PageView())), TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.BadRequest, "unknown-site");
        Assert.Empty(host.Transport.Events);
    }

    [Fact]
    public async Task Wrong_content_type_gets_415()
    {
        await using var host = await CollectorHost.StartAsync();
        var response = await host.Client.PostAsync("/v1/events", Body(Events.Batch("demo", Events.PageView()), "application/xml"), TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task Body_over_64_KB_gets_413()
    {
        await using var host = await CollectorHost.StartAsync();
        var pad = new string('a', 70_000);
        var response = await host.Client.PostAsync("/v1/events", Body($$"""{"site":"demo","events":[],"pad":"{{pad}}"}"""), TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
    }

    [Fact]
    public async Task Rejects_batch_over_100_events()
    {
        await using var host = await CollectorHost.StartAsync();
        var events = Enumerable.Range(0, 101).Select(i => Events.PageView($"/p{i}")).ToArray();
        var response = await host.Client.PostAsync("/v1/events", Body(Events.Batch("demo", events)), TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, "too-many-events");
        Assert.Empty(host.Transport.Events);
    }

    [Fact]
    public async Task A_batch_whose_every_event_is_invalid_gets_a_problem_listing_them()
    {
        await using var host = await CollectorHost.StartAsync();
        var response = await host.Client.PostAsync("/v1/events", Body("""{"site":"demo","events":[{"type":"nope"},{"type":"page_view","id":"x"}]}"""), TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.BadRequest, "no-valid-events");
        var problem = await Json(response);
        Assert.Equal(2, problem.GetProperty("rejected").GetArrayLength());
    }

    [Fact]
    public async Task Full_transport_answers_503_with_retry_after_and_keeps_nothing()
    {
        await using var host = await CollectorHost.StartAsync();
        host.Transport.Answer = Transport.PublishStatus.Full;
        var response = await host.Client.PostAsync("/v1/events", Body(Events.Batch("demo", Events.PageView())), TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.ServiceUnavailable, "overloaded");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Empty(host.Transport.Events);
    }

    [Fact]
    public async Task Far_past_or_future_client_time_is_clamped_to_receive_time()
    {
        await using var host = await CollectorHost.StartAsync();
        var past = Events.Now - (long)TimeSpan.FromDays(3).TotalMilliseconds;
        var future = Events.Now + (long)TimeSpan.FromDays(1).TotalMilliseconds;
        var recent = Events.Now - 60_000;
        var response = await host.Client.PostAsync("/v1/events", Body(Events.Batch("demo", Events.PageView(ts: past), Events.PageView(ts: future), Events.PageView(ts: recent))), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var e = host.Transport.Events;
        Assert.Equal(e[0].ReceivedAtMs, e[0].TimestampMs);
        Assert.Equal(e[1].ReceivedAtMs, e[1].TimestampMs);
        Assert.Equal(recent, e[2].TimestampMs);
    }

    [Fact]
    public async Task Records_user_agent_and_ignores_forwarded_for_without_a_trusted_connection()
    {
        await using var host = await CollectorHost.StartAsync(new() { ["Collector:TrustedProxies:0"] = "127.0.0.1" });

        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = Body(Events.Batch("demo", Events.PageView())) };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("User-Agent", "Mozilla/5.0 Test");
        var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var e = Assert.Single(host.Transport.Events);
        Assert.NotEqual("203.0.113.9", e.ClientIp);
        Assert.Equal("Mozilla/5.0 Test", e.UserAgent);
    }

    [Theory]
    [InlineData("Sec-GPC")]
    [InlineData("DNT")]
    public async Task Consent_signals_drop_the_events_and_say_so(string header)
    {
        await using var host = await CollectorHost.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = Body(Events.Batch("demo", Events.PageView(), Events.PageView())) };
        request.Headers.TryAddWithoutValidation(header, "1");
        var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await Json(response);
        Assert.Equal(0, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(2, answer.GetProperty("consent_dropped").GetInt32());
        Assert.Empty(host.Transport.Events);
    }

    [Fact]
    public async Task A_site_may_choose_not_to_honour_dnt()
    {
        await using var host = await CollectorHost.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = Body(Events.Batch("strict", Events.PageView())) };
        request.Headers.TryAddWithoutValidation("DNT", "1");
        request.Headers.TryAddWithoutValidation("Origin", "https://shop.example");
        var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(host.Transport.Events);
    }

    [Fact]
    public async Task Origins_outside_a_sites_allowlist_are_refused()
    {
        await using var host = await CollectorHost.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = Body(Events.Batch("strict", Events.PageView())) };
        request.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
        var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        await AssertProblem(response, HttpStatusCode.Forbidden, "origin-not-allowed");
        Assert.Empty(host.Transport.Events);
    }
}
