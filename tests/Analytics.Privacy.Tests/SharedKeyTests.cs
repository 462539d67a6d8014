using System.Security.Cryptography;

namespace Analytics.Privacy.Tests;

public sealed class SharedKeyTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);
    private static readonly byte[] Master = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void A_sealed_day_key_opens_only_with_the_same_master_key_site_and_day()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var sealedKey = DayKeyEnvelope.Seal(Master, "demo", Day, key);
        var opened = new byte[32];
        Assert.True(DayKeyEnvelope.TryOpen(Master, "demo", Day, sealedKey, opened));
        Assert.Equal(key, opened);
        Assert.False(DayKeyEnvelope.TryOpen(RandomNumberGenerator.GetBytes(32), "demo", Day, sealedKey, opened));
        Assert.All(opened, b => Assert.Equal(0, b)); // zeroed on failure
        Assert.False(DayKeyEnvelope.TryOpen(Master, "other", Day, sealedKey, opened));
        Assert.False(DayKeyEnvelope.TryOpen(Master, "demo", Day.AddDays(1), sealedKey, opened));
        Assert.False(DayKeyEnvelope.TryOpen(Master, "demo", Day, "not base64!", opened));
        Assert.NotEqual(sealedKey, DayKeyEnvelope.Seal(Master, "demo", Day, key)); // fresh nonce each time
    }

    [Fact]
    public void A_ring_that_does_not_create_keys_only_uses_installed_ones_within_the_window()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));
        var ring = new DailyKeyRing(time, _ => TimeZoneInfo.Utc, createOnFirstUse: false);
        Assert.False(ring.TryGetKey("demo", Day, out _));
        var key = RandomNumberGenerator.GetBytes(32);
        Assert.True(ring.TryInstall("demo", Day, key, time.GetUtcNow()));
        Assert.True(ring.TryGetKey("demo", Day, out var got));
        Assert.Equal(key, got.ToArray());
        Assert.True(ring.TryInstall("demo", Day, RandomNumberGenerator.GetBytes(32), time.GetUtcNow())); // first one wins
        Assert.True(ring.TryGetKey("demo", Day, out got));
        Assert.Equal(key, got.ToArray());
        Assert.False(ring.TryInstall("demo", Day.AddDays(-2), key, time.GetUtcNow())); // outside the window

        time.Advance(TimeSpan.FromHours(36)); // Day + 2, 00:00
        Assert.Equal(1, ring.DestroyExpired());
        Assert.All(got.ToArray(), b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData("jane.doe@example.com", "email")]
    [InlineData("from 203.0.113.7", "ip")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36", "user_agent")]
    [InlineData("id 550e8400-e29b-41d4-a716-446655440000", "uuid")]
    [InlineData("call +49 30 1234 5678", "phone")]
    public void The_scanner_names_the_identifier_it_finds(string value, string kind) => Assert.Equal(kind, IdentifierScanner.Find(value));

    [Theory]
    [InlineData("Order for [email], call [phone]")]
    [InlineData("/c/face-care")]
    [InlineData("SKU-1001")]
    [InlineData("131")]
    [InlineData("")]
    public void The_scanner_finds_nothing_in_scrubbed_values(string value) => Assert.Null(IdentifierScanner.Find(value));
}
