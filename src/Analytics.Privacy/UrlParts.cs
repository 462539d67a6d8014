using System.Buffers;
using System.Net;
using System.Text;

namespace Analytics.Privacy;

/// <summary>Tolerant URL splitting and the percent-coding helpers shared by the URL and referrer reducers.</summary>
internal static class UrlParts
{
    private const int MaxHostLength = 253;

    private static readonly SearchValues<char> DigitsAndDots = SearchValues.Create("0123456789.");

    /// <summary>
    /// Splits <paramref name="url"/> (fragment already removed by the caller or not) into authority and the
    /// path-and-query rest. Returns false for opaque URLs (<c>mailto:</c>, <c>javascript:</c>, <c>data:</c>),
    /// which have no path worth keeping.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<char> url, out ReadOnlySpan<char> authority, out ReadOnlySpan<char> rest)
    {
        url = url.Trim();
        int hash = url.IndexOf('#');
        if (hash >= 0)
        {
            url = url[..hash];
        }

        authority = default;
        rest = url;

        int schemeEnd = SchemeLength(url);
        if (schemeEnd > 0)
        {
            var afterScheme = url[(schemeEnd + 1)..];
            if (!StartsWithTwoSlashes(afterScheme))
            {
                rest = default;
                return false;
            }

            url = afterScheme;
        }

        if (StartsWithTwoSlashes(url))
        {
            var afterSlashes = url[2..];
            int end = afterSlashes.IndexOfAny('/', '?', '\\');
            authority = end < 0 ? afterSlashes : afterSlashes[..end];
            rest = end < 0 ? default : afterSlashes[end..];
        }

        return true;
    }

    /// <summary>
    /// Reduces an authority to a lower-case host: no user-info, no port, no trailing dot; IP literals become
    /// <c>[ip]</c>; other personal data in labels is replaced by the PII rules. Empty when invalid.
    /// </summary>
    public static string Host(ReadOnlySpan<char> authority, ScrubCounters? counters)
    {
        int at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }

        if (authority.StartsWith("[ip]", StringComparison.Ordinal))
        {
            return "[ip]"; // our own placeholder, so scrubbing a scrubbed URL changes nothing
        }

        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']');
            if (close < 0 || !IPAddress.TryParse(authority[1..close], out _))
            {
                return string.Empty;
            }

            counters?.Increment(ScrubReason.Ip);
            return "[ip]";
        }

        int colon = authority.LastIndexOf(':');
        if (colon >= 0)
        {
            authority = authority[..colon];
        }

        authority = authority.TrimEnd('.');
        if (authority.IsEmpty || authority.Length > MaxHostLength)
        {
            return string.Empty;
        }

        foreach (char c in authority)
        {
            if (!(char.IsLetterOrDigit(c) || c is '-' or '.' or '_'))
            {
                return string.Empty;
            }
        }

        if (authority.IndexOfAnyExcept(DigitsAndDots) < 0)
        {
            // Dotted digits only: an IPv4 literal (or a shorthand form browsers accept).
            counters?.Increment(ScrubReason.Ip);
            return "[ip]";
        }

        string host = authority.ToString().ToLowerInvariant();
        return PiiRules.Apply(host, counters);
    }

    /// <summary>Percent-decodes until nothing changes (double-encoded values are seen as they are meant).</summary>
    /// <param name="value">Raw component.</param>
    /// <param name="plusIsSpace">Query values: '+' means space, on the raw text only (a decoded '+' stays).</param>
    public static string DecodeFully(string value, bool plusIsSpace)
    {
        if (plusIsSpace && value.Contains('+'))
        {
            value = value.Replace('+', ' ');
        }

        // Each round shortens the string, so this ends; the bound only caps the work on hostile input.
        for (int round = 0; round < 32 && value.Contains('%'); round++)
        {
            string decoded = Uri.UnescapeDataString(value);
            if (decoded == value)
            {
                break;
            }

            value = decoded;
        }

        return value;
    }

    /// <summary>
    /// Percent-encodes everything but unreserved characters and a few readable delimiters; placeholder
    /// brackets stay readable. '/', ';', '?', '#', '%' and (in query values) '&amp;', '=', '+' are always encoded.
    /// </summary>
    public static string Encode(string value, bool queryValue)
    {
        var builder = new StringBuilder(value.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && IsKeptRaw((char)rune.Value, queryValue))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            int length = rune.EncodeToUtf8(utf8);
            for (int i = 0; i < length; i++)
            {
                builder.Append('%').Append(utf8[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>True when a raw component only has characters <see cref="Encode"/> would keep, plus valid %XX escapes.</summary>
    public static bool IsCanonical(ReadOnlySpan<char> raw, bool queryValue)
    {
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == '%')
            {
                if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2]))
                {
                    return false;
                }

                i += 2;
                continue;
            }

            if (!IsKeptRaw(c, queryValue))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsKeptRaw(char c, bool queryValue) =>
        char.IsAsciiLetterOrDigit(c)
        || c is '-' or '.' or '_' or '~' or '!' or '$' or '\'' or '(' or ')' or '*' or ',' or ':' or '@' or '[' or ']'
        || (!queryValue && c is '&' or '=' or '+');

    private static int SchemeLength(ReadOnlySpan<char> url)
    {
        int colon = url.IndexOf(':');
        if (colon < 2 || !char.IsAsciiLetter(url[0]))
        {
            return -1;
        }

        foreach (char c in url[..colon])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-'))
            {
                return -1;
            }
        }

        return colon;
    }

    private static bool StartsWithTwoSlashes(ReadOnlySpan<char> value) =>
        value.Length >= 2 && value[0] is '/' or '\\' && value[1] is '/' or '\\';
}
