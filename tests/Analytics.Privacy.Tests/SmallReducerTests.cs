using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Analytics.Privacy.Tests;

public sealed class ReferrerReducerTests
{
    [Theory]
    [InlineData("https://www.Google.com/search?q=jane%40example.com", "www.google.com")]
    [InlineData("https://user:pw@News.Example.com:8443/a?b#c", "news.example.com")]
    [InlineData("http://example.com.", "example.com")]
    [InlineData("android-app://com.google.android.gm/", "com.google.android.gm")]
    [InlineData("https://203.0.113.9/admin", "[ip]")]
    [InlineData("http://[2001:db8::1]:8080/", "[ip]")]
    [InlineData("https://550e8400-e29b-41d4-a716-446655440000.preview.example.app/", "[uuid].preview.example.app")]
    [InlineData("", "")]
    [InlineData("not a url", "")]
    [InlineData("/relative/path", "")]
    [InlineData("https://", "")]
    [InlineData("https://exa mple.com/", "")]
    [InlineData("mailto:jane@example.com", "")]
    public void Reduces_a_referrer_to_its_host(string referrer, string expected)
    {
        Assert.Equal(expected, ReferrerReducer.Host(referrer));
    }

    [Property(MaxTest = 300)]
    public bool Never_throws_or_keeps_a_path(string referrer)
    {
        string host = ReferrerReducer.Host(referrer);
        return !host.Contains('/') && !host.Contains('?') && !host.Contains('@') && !host.Any(char.IsUpper);
    }
}

public sealed class ScreenClassifierTests
{
    [Theory]
    [InlineData("1920x1080", "desktop")]
    [InlineData("1024x768", "desktop")]
    [InlineData("1023x768", "tablet")]
    [InlineData("768x1024", "tablet")]
    [InlineData("767x1024", "mobile")]
    [InlineData("390x844", "mobile")]
    [InlineData(" 2560X1440 ", "desktop")]
    [InlineData("", "unknown")]
    [InlineData("1920", "unknown")]
    [InlineData("x1080", "unknown")]
    [InlineData("1920x", "unknown")]
    [InlineData("0x0", "unknown")]
    [InlineData("-1x800", "unknown")]
    [InlineData("99999x1080", "unknown")]
    [InlineData("1920x1080x24", "unknown")]
    [InlineData("abc", "unknown")]
    public void Classifies_by_width_and_never_returns_the_resolution(string screen, string expected)
    {
        Assert.Equal(expected, ScreenClassifier.Classify(screen));
    }
}

public sealed class RawFieldSealerTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] OtherKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Ad = Encoding.UTF8.GetBytes("shop|event-42");

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")]
    [InlineData("ünïcødé 🙂")]
    public void Round_trips(string plaintext)
    {
        string sealedValue = RawFieldSealer.Seal(Key, plaintext, Ad);

        Assert.True(RawFieldSealer.TryOpen(Key, sealedValue, Ad, out string opened));
        Assert.Equal(plaintext, opened);
        Assert.Equal(12 + Encoding.UTF8.GetByteCount(plaintext) + 16, Convert.FromBase64String(sealedValue).Length);
    }

    [Fact]
    public void Long_values_round_trip_through_pooled_buffers()
    {
        string plaintext = new('u', 10_000);
        Assert.True(RawFieldSealer.TryOpen(Key, RawFieldSealer.Seal(Key, plaintext, Ad), Ad, out string opened));
        Assert.Equal(plaintext, opened);
    }

    [Fact]
    public void Each_seal_uses_a_fresh_nonce()
    {
        Assert.NotEqual(RawFieldSealer.Seal(Key, "203.0.113.7", Ad), RawFieldSealer.Seal(Key, "203.0.113.7", Ad));
    }

    [Fact]
    public void Wrong_key_or_associated_data_fails_without_throwing()
    {
        string sealedValue = RawFieldSealer.Seal(Key, "203.0.113.7", Ad);

        Assert.False(RawFieldSealer.TryOpen(OtherKey, sealedValue, Ad, out string opened));
        Assert.Equal(string.Empty, opened);
        Assert.False(RawFieldSealer.TryOpen(Key, sealedValue, Encoding.UTF8.GetBytes("shop|event-43"), out _));
        Assert.False(RawFieldSealer.TryOpen(Key, sealedValue, [], out _));
        Assert.False(RawFieldSealer.TryOpen(Key.AsSpan(0, 16), sealedValue, Ad, out _));
    }

    [Fact]
    public void Any_flipped_bit_is_detected()
    {
        byte[] bytes = Convert.FromBase64String(RawFieldSealer.Seal(Key, "203.0.113.7", Ad));
        for (int i = 0; i < bytes.Length * 8; i++)
        {
            byte[] tampered = (byte[])bytes.Clone();
            tampered[i / 8] ^= (byte)(1 << (i % 8));
            Assert.False(RawFieldSealer.TryOpen(Key, Convert.ToBase64String(tampered), Ad, out _));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")]
    public void Garbage_fails_without_throwing(string garbage)
    {
        Assert.False(RawFieldSealer.TryOpen(Key, garbage, Ad, out _));
    }

    [Property(MaxTest = 300)]
    public bool Arbitrary_strings_never_open(string garbage) =>
        !RawFieldSealer.TryOpen(Key, garbage ?? string.Empty, Ad, out _);

    [Property(MaxTest = 300)]
    public Property Arbitrary_values_round_trip() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>().Filter(s => s is not null), value =>
            RawFieldSealer.TryOpen(Key, RawFieldSealer.Seal(Key, value, Ad), Ad, out string opened)
            && opened == new string(value.EnumerateRunes().SelectMany(r => r.ToString()).ToArray()));

    [Fact]
    public void Seal_rejects_a_key_of_the_wrong_size()
    {
        Assert.Throws<ArgumentException>(() => RawFieldSealer.Seal(new byte[16], "x", Ad));
    }
}

public sealed class ScrubCountersTests
{
    [Fact]
    public void Counts_are_exact_under_concurrency()
    {
        var counters = new ScrubCounters();
        Parallel.For(0, 1000, _ => TextScrubber.Scrub("mail a@b.co from 10.0.0.1", counters));

        var snapshot = counters.Snapshot();
        Assert.Equal(1000, snapshot["email"]);
        Assert.Equal(1000, snapshot["ip"]);
        Assert.Equal(
            ["click_id", "email", "ip", "jwt", "number", "phone", "query_param", "token", "uuid"],
            snapshot.Keys.Order(StringComparer.Ordinal));
    }
}
