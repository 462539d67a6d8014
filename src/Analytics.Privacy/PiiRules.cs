using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Analytics.Privacy;

/// <summary>
/// The PII rules shared by <see cref="TextScrubber"/>, <see cref="UrlScrubber"/> and <see cref="ReferrerReducer"/>.
/// Each rule replaces a match by a bracketed placeholder. The rules lean towards over-scrubbing: a version
/// number taken for an IP costs a little readability, a missed e-mail costs the privacy promise.
/// </summary>
internal static partial class PiiRules
{
    private const int MaxRounds = 4;
    private const int MaxIpv6Length = 45;

    private enum Rule
    {
        Jwt,
        Email,
        Uuid,
        Ipv6,
        Ipv4,
        HexToken,
        OpaqueToken,
        Phone,
        Number,
    }

    // Order matters: the specific shapes (JWT, e-mail, UUID, IPs) go before the generic ones (tokens,
    // phones, digit runs) so that the placeholder says what was removed.
    private static readonly Rule[] Order =
        [Rule.Jwt, Rule.Email, Rule.Uuid, Rule.Ipv6, Rule.Ipv4, Rule.HexToken, Rule.OpaqueToken, Rule.Phone, Rule.Number];

    /// <summary>
    /// Applies every rule until nothing changes (so the result is idempotent by construction); usually
    /// one pass plus one confirming pass, and a string without matches is returned as is (no allocation).
    /// </summary>
    /// <param name="text">The text to scrub.</param>
    /// <param name="counters">Per-reason counters, or null.</param>
    /// <param name="pathSegment">
    /// A URL path segment: bare digit runs count as personal data from 11 digits instead of 9 (phone shapes with
    /// separators keep their rule). Shops put order, product and category numbers of up to 10 digits in paths, and merchandising
    /// needs them; a phone number in a path almost always comes with '+' or a country code (11+ digits), and the query
    /// string, where contact data usually travels, is dropped anyway.
    /// </param>
    public static string Apply(string text, ScrubCounters? counters, bool pathSegment = false)
    {
        for (int round = 0; round < MaxRounds; round++)
        {
            string before = text;
            // One cheap pass says which rules could match at all; most text (paths, titles, hosts) rules most out,
            // so their regexes never run. The shape is taken per round, so it always describes the text at hand.
            var shape = Shape.Of(text);
            foreach (var rule in Order)
            {
                if (shape.MayMatch(rule))
                {
                    text = ApplyRule(text, rule, counters, pathSegment);
                }
            }

            if (ReferenceEquals(before, text))
            {
                break;
            }
        }

        return text;
    }

    /// <summary>True when <paramref name="text"/> contains something the rules would replace.</summary>
    public static bool HasMatch(string text) => !ReferenceEquals(Apply(text, null), text);

    private static string ApplyRule(string input, Rule rule, ScrubCounters? counters, bool pathSegment)
    {
        if (input.Length == 0)
        {
            return input;
        }

        var regex = RegexFor(rule);
        StringBuilder? output = null;
        int copied = 0;
        foreach (var match in regex.EnumerateMatches(input))
        {
            if (match.Length == 0)
            {
                continue;
            }

            if (rule == Rule.Ipv6)
            {
                // The candidate is a run of hex digits, dots and colons; find the IPv6 addresses inside it.
                ReplaceIpv6Inside(input, match.Index, match.Length, ref output, ref copied, counters);
                continue;
            }

            if (!Accept(rule, input.AsSpan(match.Index, match.Length), pathSegment))
            {
                continue;
            }

            output ??= new StringBuilder(input.Length);
            output.Append(input, copied, match.Index - copied).Append(Placeholder(rule));
            copied = match.Index + match.Length;
            counters?.Increment(Reason(rule));
        }

        if (output is null)
        {
            return input;
        }

        output.Append(input, copied, input.Length - copied);
        return output.ToString();
    }

    private static void ReplaceIpv6Inside(
        string input, int start, int length, ref StringBuilder? output, ref int copied, ScrubCounters? counters)
    {
        int end = start + length;
        int i = start;
        while (i < end - 1)
        {
            int found = -1;
            for (int j = Math.Min(end, i + MaxIpv6Length); j >= i + 2; j--)
            {
                if (IsIpv6(input.AsSpan(i, j - i)))
                {
                    found = j;
                    break;
                }
            }

            if (found < 0)
            {
                i++;
                continue;
            }

            output ??= new StringBuilder(input.Length);
            output.Append(input, copied, i - copied).Append("[ip]");
            copied = found;
            counters?.Increment(ScrubReason.Ip);
            i = found;
        }
    }

    private static bool IsIpv6(ReadOnlySpan<char> candidate)
    {
        // An IPv6 address has 2..7 colons; rejecting the rest first keeps long colon runs cheap.
        int colons = candidate.Count(':');
        if (colons is < 2 or > 7 || candidate[0] == '.' || candidate[^1] == '.')
        {
            return false;
        }

        // "::1", "fe80::" and "std::" parse, but a single group identifies no one and would mangle text
        // such as C++ names; require two non-empty groups (or an embedded IPv4 part).
        int groups = 0;
        foreach (var range in candidate.Split(':'))
        {
            if (range.End.GetOffset(candidate.Length) > range.Start.GetOffset(candidate.Length))
            {
                groups++;
            }
        }

        return (groups >= 2 || candidate.Contains('.'))
            && IPAddress.TryParse(candidate, out var address)
            && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>
    /// Necessary conditions for each rule, counted in one pass: a rule whose condition fails cannot match, so
    /// skipping it changes nothing. Each bound follows from the rule's pattern (and its <see cref="Accept"/> check):
    /// a JWT contains "eyJ" and two dots, an e-mail an '@', a UUID four dashes and a run of 12 hex digits in 36 chars, an IPv6 candidate two
    /// colons, an IPv4 quad three dots and four ASCII digits, a hex token a run of 16 hex digits, an opaque token a
    /// run of 32 ASCII letters or digits, a phone at least 7 digits (any script, as <c>\d</c> and
    /// <see cref="char.IsDigit(char)"/> count them), a number 9.
    /// </summary>
    private readonly struct Shape
    {
        private const int MinPhoneDigits = 7;
        private const int MinNumberDigits = 9;
        private const int MinHexRun = 16;
        private const int MinAlnumRun = 32;

        private readonly int _length;
        private readonly int _at;
        private readonly int _colons;
        private readonly int _dots;
        private readonly int _dashes;
        private readonly int _asciiDigits;
        private readonly int _digits;
        private readonly int _longestHexRun;
        private readonly int _longestAlnumRun;
        private readonly bool _jwtHeader;

        private Shape(string text)
        {
            _length = text.Length;
            int hexRun = 0, alnumRun = 0;
            foreach (char c in text)
            {
                if (char.IsAsciiLetterOrDigit(c))
                {
                    alnumRun++;
                    if (alnumRun > _longestAlnumRun) _longestAlnumRun = alnumRun;
                    if (char.IsAsciiHexDigit(c))
                    {
                        hexRun++;
                        if (hexRun > _longestHexRun) _longestHexRun = hexRun;
                    }
                    else
                    {
                        hexRun = 0;
                    }

                    if (char.IsAsciiDigit(c))
                    {
                        _asciiDigits++;
                        _digits++;
                    }

                    continue;
                }

                hexRun = 0;
                alnumRun = 0;
                switch (c)
                {
                    case '@': _at++; break;
                    case ':': _colons++; break;
                    case '.': _dots++; break;
                    case '-': _dashes++; break;
                    default:
                        if (c > '\x7F' && char.IsDigit(c)) _digits++;
                        break;
                }
            }

            _jwtHeader = _dots >= 2 && text.Contains("eyJ", StringComparison.Ordinal);
        }

        public static Shape Of(string text) => new(text);

        public bool MayMatch(Rule rule) => rule switch
        {
            Rule.Jwt => _jwtHeader,
            Rule.Email => _at > 0 && _dots > 0,
            Rule.Uuid => _dashes >= 4 && _length >= 36 && _longestHexRun >= 12,
            Rule.Ipv6 => _colons >= 2,
            Rule.Ipv4 => _dots >= 3 && _asciiDigits >= 4,
            Rule.HexToken => _longestHexRun >= MinHexRun,
            Rule.OpaqueToken => _longestAlnumRun >= MinAlnumRun,
            Rule.Phone => _digits >= MinPhoneDigits,
            Rule.Number => _digits >= MinNumberDigits,
            _ => true,
        };
    }

    private const int MinPathDigits = 11;

    private static bool Accept(Rule rule, ReadOnlySpan<char> match, bool pathSegment) => rule switch
    {
        // Phones (two or more digit groups): at least 9 digits, or 7 after an international "+", in paths too.
        Rule.Phone => CountDigits(match) >= (match[0] == '+' ? 7 : 9),
        // Bare digit runs: 9 digits in text, 11 in a path segment (order and product numbers live there).
        Rule.Number => !pathSegment || CountDigits(match) >= MinPathDigits,
        // Opaque tokens: long runs mixing letters and digits (session ids, reset tokens), not long words.
        Rule.OpaqueToken => match.IndexOfAnyInRange('0', '9') >= 0 && (match.IndexOfAnyInRange('a', 'z') >= 0 || match.IndexOfAnyInRange('A', 'Z') >= 0),
        _ => true,
    };

    private static int CountDigits(ReadOnlySpan<char> span)
    {
        int digits = 0;
        foreach (char c in span)
        {
            if (char.IsDigit(c))
            {
                digits++;
            }
        }

        return digits;
    }

    private static Regex RegexFor(Rule rule) => rule switch
    {
        Rule.Jwt => JwtRegex(),
        Rule.Email => EmailRegex(),
        Rule.Uuid => UuidRegex(),
        Rule.Ipv6 => Ipv6CandidateRegex(),
        Rule.Ipv4 => Ipv4Regex(),
        Rule.HexToken => HexTokenRegex(),
        Rule.OpaqueToken => OpaqueTokenRegex(),
        Rule.Phone => PhoneRegex(),
        Rule.Number => NumberRegex(),
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    private static string Placeholder(Rule rule) => rule switch
    {
        Rule.Jwt => "[jwt]",
        Rule.Email => "[email]",
        Rule.Uuid => "[uuid]",
        Rule.Ipv6 or Rule.Ipv4 => "[ip]",
        Rule.HexToken or Rule.OpaqueToken => "[token]",
        Rule.Phone => "[phone]",
        Rule.Number => "[number]",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    private static ScrubReason Reason(Rule rule) => rule switch
    {
        Rule.Jwt => ScrubReason.Jwt,
        Rule.Email => ScrubReason.Email,
        Rule.Uuid => ScrubReason.Uuid,
        Rule.Ipv6 or Rule.Ipv4 => ScrubReason.Ip,
        Rule.HexToken or Rule.OpaqueToken => ScrubReason.Token,
        Rule.Phone => ScrubReason.Phone,
        Rule.Number => ScrubReason.Number,
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    // No lookarounds on most rules on purpose: a value glued to neighbouring characters ("id9876543210",
    // "x550e8400-e29b-…") must still be caught; matching a little too much is the safe failure.

    // JWS compact form; the header is base64url JSON, so it starts with "eyJ" ('{"').
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex JwtRegex();

    // Deliberately without '/', '=', '?' and '&' in the local part so paths and key=value text keep their
    // separators; letters and digits of any script (internationalised addresses).
    [GeneratedRegex(@"[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}", RegexOptions.CultureInvariant)]
    private static partial Regex UuidRegex();

    // A maximal run of hex digits, dots and colons with at least two colons; the IPv6 addresses inside it
    // are found with IPAddress.TryParse (a full IPv6 grammar as a regex is unreadable and still wrong).
    [GeneratedRegex(@"(?<![0-9A-Fa-f.:])(?>[0-9A-Fa-f.]*)(?::[0-9A-Fa-f.]*){2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv6CandidateRegex();

    // Dotted quads without range checks: "999.1.1.1" is scrubbed too, which is the safe side.
    [GeneratedRegex(@"[0-9]{1,3}(?:\.[0-9]{1,3}){3}", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4Regex();

    [GeneratedRegex(@"[0-9A-Fa-f]{16,}", RegexOptions.CultureInvariant)]
    private static partial Regex HexTokenRegex();

    [GeneratedRegex(@"[A-Za-z0-9]{32,}", RegexOptions.CultureInvariant)]
    private static partial Regex OpaqueTokenRegex();

    // Digit groups (atomic, so no catastrophic backtracking) separated by one space, dot or dash, or
    // parenthesised area codes; optional leading '+'. Digit counts are checked in code (Accept).
    [GeneratedRegex(@"\+?(?:\((?>\d+)\)|(?>\d+))(?:[ .-]?\((?>\d+)\)|[ .-](?>\d+))+", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"\d{9,}", RegexOptions.CultureInvariant)]
    private static partial Regex NumberRegex();
}
