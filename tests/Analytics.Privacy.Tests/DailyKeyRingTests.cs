using System.Collections.Concurrent;

namespace Analytics.Privacy.Tests;

public sealed class DailyKeyRingTests
{
    private static readonly TimeZoneInfo UtcZone = TimeZoneInfo.Utc;
    private static readonly TimeZoneInfo PlusTen = TimeZoneInfo.CreateCustomTimeZone("Test+10", TimeSpan.FromHours(10), "Test+10", "Test+10");
    private static readonly TimeZoneInfo MinusFive = TimeZoneInfo.CreateCustomTimeZone("Test-5", TimeSpan.FromHours(-5), "Test-5", "Test-5");

    private static readonly DateOnly March10 = new(2024, 3, 10);

    private static (DailyKeyRing Ring, FakeTimeProvider Time, List<KeyAuditEntry> Audit) Create(DateTimeOffset now, Func<string, TimeZoneInfo>? zones = null)
    {
        var time = new FakeTimeProvider(now);
        var ring = new DailyKeyRing(time, zones ?? (_ => UtcZone));
        var audit = new List<KeyAuditEntry>();
        ring.Audit += audit.Add;
        return (ring, time, audit);
    }

    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2024, 3, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Creates_a_32_byte_key_for_today_on_first_use_and_reuses_it()
    {
        var (ring, _, audit) = Create(Utc(10, 12));

        Assert.True(ring.TryGetKey("shop", March10, out var first));
        Assert.True(ring.TryGetKey("shop", March10, out var second));

        Assert.Equal(32, first.Length);
        Assert.True(first.Span.SequenceEqual(second.Span));
        Assert.Contains(first.ToArray(), b => b != 0);
        var created = Assert.Single(audit);
        Assert.Equal(new KeyAuditEntry("shop", March10, "created", Utc(10, 12)), created);
    }

    [Fact]
    public void Keys_differ_per_site_and_per_day()
    {
        var (ring, _, _) = Create(Utc(10, 12));

        ring.TryGetKey("shop", March10, out var today);
        ring.TryGetKey("shop", March10.AddDays(-1), out var yesterday);
        ring.TryGetKey("blog", March10, out var otherSite);

        Assert.False(today.Span.SequenceEqual(yesterday.Span));
        Assert.False(today.Span.SequenceEqual(otherSite.Span));
    }

    [Fact]
    public void Only_the_current_and_previous_local_day_get_keys()
    {
        var (ring, _, audit) = Create(Utc(10, 0, 30));

        Assert.True(ring.TryGetKey("shop", March10, out _));
        Assert.True(ring.TryGetKey("shop", March10.AddDays(-1), out _));
        Assert.False(ring.TryGetKey("shop", March10.AddDays(-2), out var late));
        Assert.False(ring.TryGetKey("shop", March10.AddDays(1), out var future));

        Assert.True(late.IsEmpty);
        Assert.True(future.IsEmpty);
        Assert.Equal(2, audit.Count);
    }

    [Fact]
    public void A_day_that_fell_out_of_the_window_gets_no_key_even_before_destruction()
    {
        var (ring, time, _) = Create(Utc(10, 12));
        Assert.True(ring.TryGetKey("shop", March10, out _));

        time.Set(Utc(12, 0, 1)); // March 10 is now two days back; DestroyExpired has not run yet

        Assert.False(ring.TryGetKey("shop", March10, out _));
    }

    [Fact]
    public void A_key_is_destroyed_24_hours_after_its_day_ended_and_zeroed()
    {
        var (ring, time, audit) = Create(Utc(10, 23, 59));
        Assert.True(ring.TryGetKey("shop", March10, out var key));

        time.Set(Utc(11, 23, 59)); // day ended 23:59 ago: still held (it is "yesterday")
        Assert.Equal(0, ring.DestroyExpired());
        Assert.Single(ring.Describe());

        time.Set(Utc(12, 0, 0)); // day ended 24 h ago, 48 h after it began
        Assert.Equal(1, ring.DestroyExpired());

        Assert.Empty(ring.Describe());
        Assert.All(key.ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(new KeyAuditEntry("shop", March10, "destroyed", Utc(12, 0)), audit[^1]);
        Assert.Equal(0, ring.DestroyExpired());
    }

    [Fact]
    public void Destruction_follows_each_sites_time_zone()
    {
        var zones = new Dictionary<string, TimeZoneInfo> { ["east"] = PlusTen, ["west"] = MinusFive };
        // 2024-03-10 15:00 UTC is March 11 01:00 at +10 and March 10 10:00 at -5.
        var (ring, time, _) = Create(Utc(10, 15), site => zones[site]);

        Assert.True(ring.TryGetKey("east", new DateOnly(2024, 3, 11), out _));
        Assert.True(ring.TryGetKey("east", March10, out _));
        Assert.False(ring.TryGetKey("east", new DateOnly(2024, 3, 9), out _));
        Assert.True(ring.TryGetKey("west", March10, out _));
        Assert.True(ring.TryGetKey("west", new DateOnly(2024, 3, 9), out _));
        Assert.False(ring.TryGetKey("west", new DateOnly(2024, 3, 11), out _));

        // west's March 9 ended at 2024-03-10 05:00 UTC: destroyed from 2024-03-11 05:00 UTC.
        time.Set(Utc(11, 4, 59));
        Assert.Equal(0, ring.DestroyExpired());
        time.Set(Utc(11, 5, 0));
        Assert.Equal(1, ring.DestroyExpired());
        Assert.DoesNotContain(ring.Describe(), k => k.Site == "west" && k.Day == new DateOnly(2024, 3, 9));

        // east's March 10 ended at 2024-03-10 14:00 UTC: destroyed from 2024-03-11 14:00 UTC.
        time.Set(Utc(11, 13, 59));
        Assert.Equal(0, ring.DestroyExpired());
        time.Set(Utc(11, 14, 0));
        Assert.Equal(1, ring.DestroyExpired());
        Assert.DoesNotContain(ring.Describe(), k => k.Site == "east" && k.Day == March10);
        Assert.Equal(2, ring.Describe().Count); // east March 11, west March 10
    }

    [Fact]
    public void Walking_a_week_keeps_at_most_two_keys_per_site()
    {
        var (ring, time, audit) = Create(Utc(1, 0));
        for (int hour = 0; hour < 24 * 7; hour++)
        {
            var today = SiteDay.For(time.GetUtcNow(), UtcZone);
            Assert.True(ring.TryGetKey("shop", today, out _));
            Assert.True(ring.TryGetKey("shop", today.AddDays(-1), out _));
            ring.DestroyExpired();
            Assert.InRange(ring.Describe().Count, 1, 2);
            Assert.All(ring.Describe(), k => Assert.True(time.GetUtcNow() - k.CreatedAt <= TimeSpan.FromHours(48)));
            time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(audit.Count(a => a.Action == "created"), audit.Count(a => a.Action == "destroyed") + ring.Describe().Count);
    }

    [Fact]
    public void Describe_lists_site_day_and_creation_time_in_order()
    {
        var (ring, time, _) = Create(Utc(10, 8));
        ring.TryGetKey("shop", March10, out _);
        time.Advance(TimeSpan.FromMinutes(5));
        ring.TryGetKey("blog", March10, out _);
        ring.TryGetKey("shop", March10.AddDays(-1), out _);

        Assert.Equal(
            [("blog", March10, Utc(10, 8, 5)), ("shop", March10.AddDays(-1), Utc(10, 8, 5)), ("shop", March10, Utc(10, 8))],
            ring.Describe());
    }

    [Fact]
    public void Audit_entries_and_descriptions_carry_no_key_material()
    {
        var (ring, time, audit) = Create(Utc(10, 8));
        ring.TryGetKey("shop", March10, out var key);
        string hex = Convert.ToHexString(key.Span);
        string base64 = Convert.ToBase64String(key.Span);
        time.Set(Utc(13, 0));
        ring.DestroyExpired();

        var propertyTypes = typeof(KeyAuditEntry).GetProperties().Select(p => p.PropertyType).ToHashSet();
        Assert.Subset(new HashSet<Type> { typeof(string), typeof(DateOnly), typeof(DateTimeOffset) }, propertyTypes);
        Assert.Equal(["created", "destroyed"], audit.Select(a => a.Action));
        Assert.All(audit, a =>
        {
            Assert.DoesNotContain(hex, a.ToString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(base64, a.ToString());
        });
    }

    [Fact]
    public void Concurrent_first_use_creates_exactly_one_key()
    {
        var (ring, _, audit) = Create(Utc(10, 12));
        var keys = new ConcurrentBag<string>();

        Parallel.For(0, 2000, i =>
        {
            Assert.True(ring.TryGetKey("site" + (i % 4), March10, out var key));
            keys.Add((i % 4) + ":" + Convert.ToHexString(key.Span));
        });

        Assert.Equal(4, keys.Distinct().Count());
        Assert.Equal(4, audit.Count);
    }
}
