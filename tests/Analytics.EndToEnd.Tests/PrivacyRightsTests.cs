using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Analytics.Collector;
using Analytics.TestUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.EndToEnd.Tests;

/// <summary>Forget, what-we-hold and consent signals through the whole one-process host.</summary>
public sealed class PrivacyRightsTests(ChDbFixture chdb)
{
    private static StringContent Forget(string site) => new($$"""{"site":"{{site}}"}""", Encoding.UTF8, "text/plain");

    [Fact]
    public async Task Forget_deletes_exactly_that_devices_events_of_the_day_and_excludes_it_afterwards()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(chdb);
        await host.StartAsync(ct);
        await using var store = host.OpenStore();
        Device alice = Device.Numbered(1), bob = Device.Numbered(2), carol = new("198.51.100.1", Device.Numbered(3).UserAgent);
        await alice.SendAsync(host.BaseAddress, "demo", ["/a1", "/a2", "/p/SKU-1"], ct);
        await bob.SendAsync(host.BaseAddress, "demo", ["/b1", "/b2"], ct);
        await carol.SendAsync(host.BaseAddress, "demo", ["/c1"], ct); // same IP as alice, other browser: another device
        await StoreProbe.WaitUntilAsync(async () => await StoreProbe.CountAsync(store, "site = 'demo'", ct) == 6, "all 6 events are stored", ct);

        using var aliceClient = alice.Client(host.BaseAddress);
        var answer = await aliceClient.PostAsync("/v1/privacy/forget", Forget("demo"), ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var forget = await answer.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(3, forget.GetProperty("events_deleted").GetInt64());
        Assert.Contains("Deleted 3", forget.GetProperty("summary").GetString(), StringComparison.Ordinal);

        Assert.Equal(0, await StoreProbe.CountAsync(store, "path IN ('/a1', '/a2', '/p/SKU-1')", ct));
        Assert.Equal(3, await StoreProbe.CountAsync(store, "path IN ('/b1', '/b2', '/c1')", ct));

        // Afterwards the device is excluded for the rest of the day; bob's later event is the signal the batch was written.
        await alice.SendAsync(host.BaseAddress, "demo", ["/a3"], ct);
        await bob.SendAsync(host.BaseAddress, "demo", ["/b3"], ct);
        await StoreProbe.WaitUntilAsync(async () => await StoreProbe.CountAsync(store, "path = '/b3'", ct) == 1, "bob's later event is stored", ct);
        Assert.Equal(0, await StoreProbe.CountAsync(store, "path = '/a3'", ct));

        var held = await aliceClient.GetFromJsonAsync<JsonElement>("/v1/privacy/what-we-hold?site=demo", ct);
        Assert.Equal(0, held.GetProperty("about_this_device").GetProperty("events").GetInt64());
        Assert.Contains(held.GetProperty("about_this_device").GetProperty("days").EnumerateArray(), d => d.GetProperty("excluded").GetBoolean());
    }

    [Fact]
    public async Task What_we_hold_counts_the_devices_events_and_says_so_in_plain_words()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(chdb);
        await host.StartAsync(ct);
        await using var store = host.OpenStore();
        Device dora = Device.Numbered(4), eve = Device.Numbered(5);
        await dora.SendAsync(host.BaseAddress, "demo", ["/d1", "/d2"], ct);
        await eve.SendAsync(host.BaseAddress, "demo", ["/e1"], ct);
        await StoreProbe.WaitUntilAsync(async () => await StoreProbe.CountAsync(store, "site = 'demo'", ct) == 3, "3 events are stored", ct);

        using var client = dora.Client(host.BaseAddress);
        var response = await client.GetAsync("/v1/privacy/what-we-hold?site=demo", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var held = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        Assert.Equal(2, held.GetProperty("about_this_device").GetProperty("events").GetInt64());
        var summary = held.GetProperty("summary").GetString()!;
        Assert.Contains("We hold 2 event(s)", summary, StringComparison.Ordinal);
        Assert.Contains("destroyed after 48 hours", summary, StringComparison.Ordinal);
        Assert.Equal(30, held.GetProperty("retention").GetProperty("events_days").GetInt32());
        Assert.DoesNotContain(dora.Ip, held.ToString(), StringComparison.Ordinal);

        using var stranger = Device.Numbered(6).Client(host.BaseAddress);
        var none = await stranger.GetFromJsonAsync<JsonElement>("/v1/privacy/what-we-hold?site=demo", ct);
        Assert.Equal(0, none.GetProperty("about_this_device").GetProperty("events").GetInt64());
        var unknown = await stranger.GetAsync("/v1/privacy/what-we-hold?site=nope", ct);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task Gpc_and_dnt_events_are_not_stored_and_are_counted_in_the_consent_metric()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(chdb);
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        long dropped = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "analytics.collector.events.consent_dropped") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref dropped, value));
        listener.Start();
        await host.StartAsync(ct);
        await using var store = host.OpenStore();

        var gpc = await Device.Numbered(7).SendAsync(host.BaseAddress, "demo", ["/gpc1", "/gpc2"], ct, ("Sec-GPC", "1"));
        var dnt = await Device.Numbered(8).SendAsync(host.BaseAddress, "demo", ["/dnt1"], ct, ("DNT", "1"));
        Assert.Equal(2, (await gpc.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("consent_dropped").GetInt32());
        Assert.Equal(1, (await dnt.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("consent_dropped").GetInt32());
        await Device.Numbered(9).SendAsync(host.BaseAddress, "demo", ["/signal"], ct);
        await StoreProbe.WaitUntilAsync(async () => await StoreProbe.CountAsync(store, "path = '/signal'", ct) == 1, "the signal event is stored", ct);

        Assert.Equal(0, await StoreProbe.CountAsync(store, "path IN ('/gpc1', '/gpc2', '/dnt1')", ct));
        Assert.Equal(3, Interlocked.Read(ref dropped));
    }

    [Fact]
    public async Task Privacy_endpoints_are_public_simple_requests_and_refuse_unknown_sites()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(chdb);
        await host.StartAsync(ct);
        using var client = Device.Numbered(10).Client(host.BaseAddress);
        // No credentials, text/plain body: what navigator.sendBeacon sends without a CORS preflight.
        var ok = await client.PostAsync("/v1/privacy/forget", Forget("demo"), ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(0, (await ok.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("events_deleted").GetInt64());
        var json = await client.PostAsync("/v1/privacy/forget", new StringContent("""{"site":"demo"}""", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        var bad = await client.PostAsync("/v1/privacy/forget", Forget("nope"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(PrivacyEndpoints.ProblemTypes.InvalidRequest, (await bad.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("type").GetString());
    }
}
