using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Analytics.Privacy.Tests;

public sealed class VisitorHasherTests
{
    private static readonly byte[] KeyA = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] KeyB = Enumerable.Range(2, 32).Select(i => (byte)i).ToArray();

    private const string Ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

    [Fact]
    public void Same_inputs_give_the_same_key()
    {
        Assert.Equal(
            VisitorHasher.Compute(KeyA, "shop", "203.0.113.7", Ua),
            VisitorHasher.Compute(KeyA, "shop", "203.0.113.7", Ua));
    }

    [Fact]
    public void Matches_truncated_hmac_over_length_prefixed_fields()
    {
        // Pins the encoding: other components (or a re-implementation) must agree byte for byte.
        byte[] message = [.. Field("s"), .. Field("1.2.3.4"), .. Field("ua")];
        byte[] mac = System.Security.Cryptography.HMACSHA256.HashData(KeyA, message);
        ulong expected = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(mac);

        Assert.Equal(expected, VisitorHasher.Compute(KeyA, "s", "1.2.3.4", "ua"));

        static byte[] Field(string value)
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(value);
            byte[] length = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            return [.. length, .. bytes];
        }
    }

    [Fact]
    public void Each_input_changes_the_key()
    {
        ulong baseline = VisitorHasher.Compute(KeyA, "shop", "203.0.113.7", Ua);

        Assert.NotEqual(baseline, VisitorHasher.Compute(KeyB, "shop", "203.0.113.7", Ua));
        Assert.NotEqual(baseline, VisitorHasher.Compute(KeyA, "shop2", "203.0.113.7", Ua));
        Assert.NotEqual(baseline, VisitorHasher.Compute(KeyA, "shop", "203.0.113.8", Ua));
        Assert.NotEqual(baseline, VisitorHasher.Compute(KeyA, "shop", "203.0.113.7", Ua + " "));
    }

    [Fact]
    public void Field_boundaries_are_unambiguous()
    {
        Assert.NotEqual(
            VisitorHasher.Compute(KeyA, "ab", "c", "d"),
            VisitorHasher.Compute(KeyA, "a", "bc", "d"));
        Assert.NotEqual(
            VisitorHasher.Compute(KeyA, "a", "b\0", "c"),
            VisitorHasher.Compute(KeyA, "a", "b", "\0c"));
    }

    [Fact]
    public void Long_user_agents_use_the_pooled_path_and_stay_deterministic()
    {
        string longUa = new('x', 5000);
        ulong first = VisitorHasher.Compute(KeyA, "shop", "2001:db8::1", longUa);
        Assert.Equal(first, VisitorHasher.Compute(KeyA, "shop", "2001:db8::1", longUa));
        Assert.NotEqual(first, VisitorHasher.Compute(KeyA, "shop", "2001:db8::1", longUa + "y"));
    }

    [Fact]
    public void Empty_key_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => VisitorHasher.Compute([], "shop", "1.2.3.4", Ua));
    }

    [Property(MaxTest = 300)]
    public bool Never_returns_zero_and_is_deterministic(byte[] key, string site, string ip, string ua)
    {
        if (key is null || key.Length == 0)
        {
            key = [0];
        }

        ulong value = VisitorHasher.Compute(key, site ?? "", ip ?? "", ua ?? "");
        return value != 0 && value == VisitorHasher.Compute(key, site ?? "", ip ?? "", ua ?? "");
    }

    [Property(MaxTest = 200)]
    public Property Different_ips_give_different_keys()
    {
        var ips = Gen.Choose(0, 255).Four().Select(t => $"{t.Item1}.{t.Item2}.{t.Item3}.{t.Item4}");
        return Prop.ForAll(ips.Two().Where(p => p.Item1 != p.Item2).ToArbitrary(), pair =>
            VisitorHasher.Compute(KeyA, "shop", pair.Item1, Ua) != VisitorHasher.Compute(KeyA, "shop", pair.Item2, Ua));
    }
}
