using System.Globalization;
using System.Text;

namespace Analytics.Cli;

/// <summary>Makes unique, recognisable personal data to plant, and addresses for visitors.</summary>
internal sealed class CanaryFactory(Random random)
{
    private static readonly string[] First = ["jane", "max", "lea", "tom", "sofia", "lukas", "emma", "noah", "mia", "paul", "clara", "jonas"];
    private static readonly string[] Last = ["doe", "mueller", "schmidt", "rossi", "martin", "dubois", "jansen", "novak", "weber", "costa"];
    private static readonly string[] Domains = ["example.com", "example.org", "mail.example", "example.net"];
    private static readonly HashSet<int> ReservedFirstOctets = [0, 10, 100, 127, 169, 172, 192, 198, 203, 224];
    private int _counter;

    public string Email()
    {
        var n = Interlocked.Increment(ref _counter);
        return string.Create(CultureInfo.InvariantCulture,
            $"{First[random.Next(First.Length)]}.{Last[random.Next(Last.Length)]}{n}@{Domains[random.Next(Domains.Length)]}");
    }

    /// <summary>German mobile number, digits only (URL-safe, and a digit run a scrubber must catch).</summary>
    public string PhoneDigits() => string.Create(CultureInfo.InvariantCulture, $"0{random.Next(151, 180)}{random.Next(1_000_000, 99_999_999)}");

    /// <summary>International form with spaces, as someone types it into a title.</summary>
    public string PhoneFormatted() => string.Create(CultureInfo.InvariantCulture, $"+49 {random.Next(151, 180)} {random.Next(1000, 9999)} {random.Next(1000, 9999)}");

    /// <summary>A public-looking IPv4 address (no private, loopback or documentation ranges: those may be treated specially).</summary>
    public string IPv4()
    {
        int a;
        do a = random.Next(11, 224); while (ReservedFirstOctets.Contains(a));
        return string.Create(CultureInfo.InvariantCulture, $"{a}.{random.Next(0, 256)}.{random.Next(0, 256)}.{random.Next(1, 255)}");
    }

    public string IPv6() => string.Create(CultureInfo.InvariantCulture,
        $"2a02:{random.Next(0x1000, 0xffff):x4}:{random.Next(0x1000, 0xffff):x4}:{random.Next(0, 0xffff):x}::{random.Next(0x10, 0xffff):x}");

    public string Uuid() => NewGuid(random).ToString();

    public string HexToken(int bytes = 20)
    {
        Span<byte> b = stackalloc byte[bytes];
        random.NextBytes(b);
        return Convert.ToHexStringLower(b);
    }

    public string Jwt()
    {
        var header = Base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"sub\":\"{random.Next(100_000, 999_999)}\",\"email\":\"{Email()}\",\"iat\":{1_764_000_000 + random.Next(0, 100_000)}}}")));
        Span<byte> sig = stackalloc byte[32];
        random.NextBytes(sig);
        return $"{header}.{payload}.{Base64Url(sig)}";
    }

    /// <summary>A version-4 UUID drawn from <paramref name="random"/> (so ids are reproducible per seed).</summary>
    public static Guid NewGuid(Random random)
    {
        Span<byte> b = stackalloc byte[16];
        random.NextBytes(b);
        b[7] = (byte)((b[7] & 0x0F) | 0x40); // version 4 (little-endian layout of Guid's third group)
        b[8] = (byte)((b[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(b);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
