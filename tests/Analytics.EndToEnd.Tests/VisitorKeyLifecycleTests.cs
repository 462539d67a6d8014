using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Analytics.Anonymizer;
using Analytics.Contracts;
using Analytics.Privacy;
using Analytics.Storage;
using Analytics.TestUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.EndToEnd.Tests;

/// <summary>The shared visitor-key lifecycle on a real store: one key per site and day for every instance, destroyed and audited after 48 h.</summary>
public sealed class VisitorKeyLifecycleTests(ChDbFixture chdb)
{
    private static readonly SiteRegistry Sites = new([new SiteOptions { Id = "demo", TimeZone = "UTC" }, new SiteOptions { Id = "other", TimeZone = "Europe/Berlin" }]);
    private static readonly IMeterFactory Meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
    private static readonly MasterKey Master = MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32));

    private static VisitorKeyStore Instance(IAnalyticsStore store, TimeProvider time, string name, MasterKey? master = null) => new(
        store, new DailyKeyRing(time, Sites.TimeZoneOf, createOnFirstUse: false), master ?? Master, Sites, time,
        Options.Create(new PrivacyOptions { InstanceId = name }), new PrivacyMetrics(Meters), NullLogger<VisitorKeyStore>.Instance);

    private static byte[] KeyOf(VisitorKeyStore instance, string site, DateOnly day)
    {
        Assert.True(instance.Ring.TryGetKey(site, day, out var key));
        return key.ToArray();
    }

    [Fact]
    public async Task Concurrent_instances_and_a_restarted_one_use_the_same_key_per_site_and_day()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("keys_shared", ct);
        var time = new ManualClock(DateTimeOffset.UtcNow);
        var today = SiteDay.For(time.GetUtcNow(), TimeZoneInfo.Utc);
        var instances = Enumerable.Range(1, 4).Select(i => Instance(store, time, "instance-" + i)).ToArray();

        await Task.WhenAll(instances.Select(i => Task.Run(() => i.EnsureAsync([("demo", today)], ct), ct)));

        var first = KeyOf(instances[0], "demo", today);
        Assert.All(instances, i => Assert.Equal(first, KeyOf(i, "demo", today)));
        var restarted = Instance(store, time, "instance-1-restarted");
        Assert.True(await restarted.LoadAsync("demo", today, ct));
        Assert.Equal(first, KeyOf(restarted, "demo", today));

        var stored = await store.QueryAsync("SELECT count() AS n FROM visitor_keys", new Dictionary<string, string>(), ct);
        Assert.Equal(1, stored[0].GetProperty("n").GetInt32());
        var audit = await store.QueryAsync("SELECT action, actor FROM visitor_key_audit", new Dictionary<string, string>(), ct);
        Assert.Equal("created", Assert.Single(audit).GetProperty("action").GetString());
    }

    [Fact]
    public async Task A_stored_key_is_sealed_and_cannot_be_opened_with_another_master_key()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("keys_sealed", ct);
        var time = new ManualClock(DateTimeOffset.UtcNow);
        var today = SiteDay.For(time.GetUtcNow(), TimeZoneInfo.Utc);
        var instance = Instance(store, time, "a");
        await instance.EnsureAsync([("demo", today)], ct);
        var key = KeyOf(instance, "demo", today);

        var dump = await store.QueryAsync("SELECT sealed_key FROM visitor_keys", new Dictionary<string, string>(), ct);
        var sealedKey = dump[0].GetProperty("sealed_key").GetString()!;
        Assert.DoesNotContain(Convert.ToBase64String(key), sealedKey, StringComparison.Ordinal);
        var stranger = Instance(store, time, "b", MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => stranger.LoadAsync("demo", today, ct));
    }

    [Fact]
    public async Task Keys_are_destroyed_in_store_and_memory_48_hours_after_their_day_began_and_audited_without_material()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("keys_destroyed", ct);
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(1), TimeSpan.Zero);
        var time = new ManualClock(start);
        var day = SiteDay.For(start, TimeZoneInfo.Utc);
        var creator = Instance(store, time, "creator");
        var other = Instance(store, time, "destroyer");
        await creator.EnsureAsync([("demo", day)], ct);
        Assert.True(await other.LoadAsync("demo", day, ct));
        var material = Convert.ToBase64String(KeyOf(creator, "demo", day));

        time.Advance(TimeSpan.FromHours(46)); // day + 1, 23:00: still yesterday's key
        Assert.Equal(0, await other.DestroyExpiredAsync(ct));
        Assert.True(creator.Ring.HasKey("demo", day));

        time.Advance(TimeSpan.FromHours(1)); // day + 2, 00:00: its day ended 24 h ago
        Assert.Equal(1, await other.DestroyExpiredAsync(ct));
        Assert.Empty(await other.ListAsync(ct));
        Assert.False(other.Ring.HasKey("demo", day));
        await creator.DestroyExpiredAsync(ct); // the creator zeroes its own copy on its next tick
        Assert.False(creator.Ring.HasKey("demo", day));

        var audit = await store.QueryAsync("SELECT action, actor, toString(day) AS day FROM visitor_key_audit ORDER BY at", new Dictionary<string, string>(), ct);
        Assert.Equal(["created", "destroyed"], audit.Select(a => a.GetProperty("action").GetString()!).ToArray());
        Assert.Equal(["creator", "destroyer"], audit.Select(a => a.GetProperty("actor").GetString()!).ToArray());
        var auditText = string.Join("\n", audit.Select(a => a.ToString()));
        Assert.DoesNotContain(material, auditText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_of_days_without_a_key_are_stored_without_a_visitor_key_and_counted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("keys_late", ct);
        var time = new ManualClock(DateTimeOffset.UtcNow);
        var instance = Instance(store, time, "a");
        var anonymizer = new EventAnonymizer(instance.Ring, Sites, new IpRangeList([]), new ScrubCounters());
        var today = SiteDay.For(time.GetUtcNow(), TimeZoneInfo.Utc);
        await instance.EnsureAsync([("demo", today), ("demo", today.AddDays(-3))], ct);

        CollectedEvent At(DateTimeOffset ts) => new()
        {
            Site = "demo", Type = EventTypes.PageView, EventId = Guid.NewGuid(), TimestampMs = ts.ToUnixTimeMilliseconds(), ReceivedAtMs = ts.ToUnixTimeMilliseconds(),
            Url = "https://shop.example/", Referrer = "", Title = "", Screen = "", Lang = "", ClientIp = "203.0.113.9", UserAgent = "Mozilla/5.0 Firefox/130.0",
        };

        Assert.NotEqual(0UL, anonymizer.Anonymize(At(time.GetUtcNow())).VisitorKey);
        Assert.Equal(0UL, anonymizer.Anonymize(At(time.GetUtcNow().AddDays(-3))).VisitorKey);
        Assert.Equal(1, anonymizer.LateEvents);
        Assert.Single(await instance.ListAsync(ct)); // no key was created for the late day
    }
}
