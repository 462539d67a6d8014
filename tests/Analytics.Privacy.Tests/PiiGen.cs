using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Analytics.Privacy.Tests;

/// <summary>Generators of personal data in the shapes the scrubbers must catch, and of harmless filler.</summary>
internal static class PiiGen
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Hex = "0123456789abcdefABCDEF";
    private const string Base64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static Gen<string> StringOf(string alphabet, int min, int max) =>
        from length in Gen.Choose(min, max)
        from chars in Gen.Elements(alphabet.ToCharArray()).ArrayOf(length)
        select new string(chars);

    private static Gen<string> Digits(int count) => StringOf("0123456789", count, count);

    public static Gen<string> Email =>
        from local in StringOf(Lower + "0123456789", 1, 10)
        from dotted in Gen.Elements("", ".", "_", "+tag", "-x")
        from label in StringOf(Lower + "0123456789", 1, 10)
        from sub in Gen.Elements("", "mail.", "eu.")
        from tld in StringOf(Lower, 2, 6)
        select $"{local}{dotted}@{sub}{label}.{tld}";

    public static Gen<string> Phone =>
        Gen.OneOf(
            from cc in Gen.Choose(1, 99) from a in Digits(3) from b in Digits(3) from c in Digits(4) select $"+{cc} {a} {b} {c}",
            from a in Digits(3) from b in Digits(3) from c in Digits(4) select $"({a}) {b}-{c}",
            from a in Digits(3) from b in Digits(3) from c in Digits(4) select $"{a}-{b}-{c}",
            from a in Digits(3) from b in Digits(3) from c in Digits(4) select $"{a}.{b}.{c}",
            from a in Digits(1) from b in Digits(2) from c in Digits(2) from d in Digits(2) from e in Digits(2) select $"0{a} {b} {c} {d} {e}",
            from cc in Digits(2) from n in Digits(9) select $"+{cc}{n}");

    public static Gen<string> Ipv4 =>
        from octets in Gen.Choose(0, 255).ArrayOf(4)
        select string.Join('.', octets);

    public static Gen<string> Ipv6 =>
        from bytes in Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf(16)
        from zeroRun in Gen.Choose(0, 8)
        let address = new IPAddress(bytes.Select((b, i) => i >= 4 && i < 4 + zeroRun ? (byte)0 : b).ToArray())
        where !address.IsIPv4MappedToIPv6
        select address.ToString();

    public static Gen<string> Uuid =>
        from bytes in Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf(16)
        from upper in Gen.Elements(false, true)
        let text = new Guid(bytes).ToString("D")
        select upper ? text.ToUpperInvariant() : text;

    public static Gen<string> Jwt =>
        from header in Gen.Elements("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"alg\":\"RS256\",\"kid\":\"k1\"}")
        from payload in StringOf(Base64Url, 8, 60)
        from signature in StringOf(Base64Url, 16, 60)
        select $"{Base64UrlEncode(header)}.{payload}.{signature}";

    public static Gen<string> HexToken => StringOf(Hex, 16, 48);

    public static Gen<string> DigitRun => from n in Gen.Choose(9, 20) from d in Digits(n) select d;

    /// <summary>Any kind of personal data, labelled for failure messages.</summary>
    public static Gen<string> AnyPii => Gen.OneOf(Email, Phone, Ipv4, Ipv6, Uuid, Jwt, HexToken, DigitRun);

    /// <summary>Text around the value: words (letters only), punctuation, or nothing (glued on).</summary>
    public static Gen<string> Filler =>
        from parts in Gen.OneOf(StringOf(Lower, 1, 8), Gen.Elements(" ", " ", "-", ", ", ": ", "(", ")", "!", "Jean-Luc", "Über", "é"))
            .ListOf()
        from count in Gen.Choose(0, 4)
        select string.Concat(parts.Take(count));

    public static Gen<(string Pii, string Text)> Embedded =>
        from before in Filler
        from pii in AnyPii
        from after in Filler
        select (pii, before + pii + after);

    /// <summary>Bare digit runs long enough to be personal data in a URL path (11+ digits; shorter ones are ids).</summary>
    public static Gen<string> PathDigitRun => from n in Gen.Choose(11, 20) from d in Digits(n) select d;

    /// <summary>Like <see cref="Embedded"/>, with the URL-path rule for bare digit runs.</summary>
    public static Gen<(string Pii, string Text)> EmbeddedInPath =>
        from before in Filler
        from pii in Gen.OneOf(Email, Phone, Ipv4, Ipv6, Uuid, Jwt, HexToken, PathDigitRun)
        from after in Filler
        select (pii, before + pii + after);

    /// <summary>Percent-encodes every byte outside [A-Za-z0-9], as aggressive clients do.</summary>
    public static string EncodeAll(string value)
    {
        var builder = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Decodes until nothing changes: how a reader (or attacker) would look at the output.</summary>
    public static string DecodeAll(string value)
    {
        for (int i = 0; i < 10; i++)
        {
            string decoded = Uri.UnescapeDataString(value.Replace('+', ' '));
            if (decoded == value)
            {
                break;
            }

            value = decoded;
        }

        return value;
    }

    private static string Base64UrlEncode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
