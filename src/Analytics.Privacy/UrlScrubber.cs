using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace Analytics.Privacy;

/// <summary>
/// Reduces a page URL to what analytics needs: host, path with personal data replaced by placeholders
/// (the <see cref="TextScrubber"/> rules, applied per segment after percent-decoding), and only the
/// campaign parameters (<c>utm_*</c> and <c>ref</c>) with scrubbed values. Fragments, user-info, ports,
/// path parameters (<c>;jsessionid=…</c>), click ids and every other parameter are dropped.
/// Never throws: relative or malformed input yields a safe path (<c>/</c> at worst). Idempotent.
/// </summary>
public static partial class UrlScrubber
{
    /// <summary>Maximum length of <see cref="ScrubbedUrl.Path"/>.</summary>
    public const int MaxPathLength = 512;

    /// <summary>Maximum length of one kept query value (after decoding and scrubbing).</summary>
    public const int MaxQueryValueLength = 100;

    private const int MaxKeptParameters = 16;
    private const int MaxInputPathLength = MaxPathLength * 4;
    private const int MaxInputQueryLength = 4096;

    private static readonly ScrubbedUrl Root = new(string.Empty, "/", string.Empty);

    // Known click / tracking ids: dropped like every non-allowlisted parameter, but counted apart.
    private static readonly FrozenSet<string> ClickIds = FrozenSet.Create(StringComparer.Ordinal,
    [
        "gclid", "gclsrc", "gbraid", "wbraid", "dclid", "fbclid", "msclkid", "yclid", "twclid", "ttclid",
        "li_fat_id", "mc_eid", "mc_cid", "_hsenc", "_hsmi", "igshid", "srsltid", "_gl", "epik", "rdt_cid",
        "sccid", "irclickid", "s_kwcid", "ef_id", "_kx", "vero_id", "mkt_tok", "oly_enc_id", "oly_anon_id",
        "wickedid", "_openstat", "ScCid".ToLowerInvariant(), "cjevent", "awc", "zanpid", "ranmid", "ransiteid",
    ]);

    private static readonly string[] StandardUtm = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

    /// <summary>Scrubs <paramref name="url"/> (absolute, protocol-relative or relative).</summary>
    /// <param name="url">The page URL as reported by the beacon.</param>
    /// <param name="counters">Optional counters to record what was removed.</param>
    public static ScrubbedUrl Scrub(string url, ScrubCounters? counters = null)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return Root;
        }

        try
        {
            return ScrubCore(url, counters);
        }
#pragma warning disable CA1031 // Contract: never throw on input; a bug here must not drop an event.
        catch (Exception)
#pragma warning restore CA1031
        {
            return Root;
        }
    }

    /// <summary>The scrubber without the safety net, so tests see real exceptions.</summary>
    internal static ScrubbedUrl ScrubCore(string url, ScrubCounters? counters)
    {
        if (!UrlParts.TrySplit(url, out var authority, out var rest))
        {
            return Root;
        }

        string host = authority.IsEmpty ? string.Empty : UrlParts.Host(authority, counters);

        int question = rest.IndexOf('?');
        var path = question < 0 ? rest : rest[..question];
        var query = question < 0 ? default : rest[(question + 1)..];

        return new ScrubbedUrl(host, ScrubPath(path, counters), ScrubQuery(query, counters));
    }

    private static string ScrubPath(ReadOnlySpan<char> path, ScrubCounters? counters)
    {
        if (path.Length > MaxInputPathLength)
        {
            // Work bound; cut between segments so no value is split (the result is capped below anyway).
            int slash = path[..MaxInputPathLength].LastIndexOf('/');
            path = path[..Math.Max(slash, 1)];
        }

        var builder = new StringBuilder(path.Length + 1);
        bool first = true;
        foreach (var range in path.Split('/'))
        {
            var segment = path[range];
            if (first)
            {
                first = false;
                if (segment.IsEmpty)
                {
                    continue; // the leading '/'
                }
            }

            builder.Append('/');
            int semicolon = segment.IndexOf(';');
            if (semicolon >= 0)
            {
                // Path parameters carry session ids (";jsessionid=…"); never page identity.
                segment = segment[..semicolon];
                counters?.Increment(ScrubReason.QueryParam);
            }

            builder.Append(ScrubSegment(segment, counters));
        }

        // One leading slash: "//x" would read as a protocol-relative URL pointing at host "x".
        int extraSlashes = 0;
        while (extraSlashes + 1 < builder.Length && builder[extraSlashes + 1] == '/')
        {
            extraSlashes++;
        }

        builder.Remove(0, extraSlashes);
        if (builder.Length == 0)
        {
            return "/";
        }

        return CapEncoded(builder.ToString(), MaxPathLength);
    }

    private static string ScrubSegment(ReadOnlySpan<char> raw, ScrubCounters? counters)
    {
        if (raw.IsEmpty)
        {
            return string.Empty;
        }

        string rawText = raw.ToString();
        string decoded = UrlParts.DecodeFully(rawText, plusIsSpace: false);
        string scrubbed = PiiRules.Apply(decoded, counters, pathSegment: true);
        if (ReferenceEquals(scrubbed, decoded) && UrlParts.IsCanonical(raw, queryValue: false))
        {
            return rawText; // ordinary segments stay byte for byte as they came
        }

        return UrlParts.Encode(scrubbed, queryValue: false);
    }

    private static string ScrubQuery(ReadOnlySpan<char> query, ScrubCounters? counters)
    {
        if (query.IsEmpty)
        {
            return string.Empty;
        }

        if (query.Length > MaxInputQueryLength)
        {
            int amp = query[..MaxInputQueryLength].LastIndexOf('&');
            query = query[..Math.Max(amp, 0)];
        }

        List<(string Name, string Value)>? kept = null;
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            int equals = pair.IndexOf('=');
            string name = UrlParts.DecodeFully((equals < 0 ? pair : pair[..equals]).ToString(), plusIsSpace: true)
                .Trim().ToLowerInvariant();

            if (ClickIds.Contains(name))
            {
                counters?.Increment(ScrubReason.ClickId);
                continue;
            }

            if (equals < 0 || !(name == "ref" || UtmName().IsMatch(name))
                || kept?.Exists(p => p.Name == name) == true || kept?.Count >= MaxKeptParameters)
            {
                counters?.Increment(ScrubReason.QueryParam);
                continue;
            }

            string value = ScrubValue(pair[(equals + 1)..].ToString(), counters);
            if (value.Length > 0)
            {
                (kept ??= []).Add((name, value));
            }
        }

        if (kept is null)
        {
            return string.Empty;
        }

        kept.Sort(static (a, b) =>
        {
            int byRank = Rank(a.Name).CompareTo(Rank(b.Name));
            return byRank != 0 ? byRank : string.CompareOrdinal(a.Name, b.Name);
        });

        var builder = new StringBuilder();
        foreach (var (name, value) in kept)
        {
            builder.Append(builder.Length == 0 ? '?' : '&').Append(name).Append('=').Append(UrlParts.Encode(value, queryValue: true));
        }

        return builder.ToString();
    }

    private static string ScrubValue(string raw, ScrubCounters? counters)
    {
        string decoded = UrlParts.DecodeFully(raw, plusIsSpace: true);
        // The text rules: whitespace normalised, personal data replaced, then capped.
        string scrubbed = TextScrubber.Scrub(decoded, counters);
        return TextScrubber.Truncate(scrubbed, MaxQueryValueLength);
    }

    // Stable order: the five standard campaign parameters as marketers list them, other utm_* by name, ref last.
    private static int Rank(string name)
    {
        int standard = Array.IndexOf(StandardUtm, name);
        return standard >= 0 ? standard : name == "ref" ? StandardUtm.Length + 1 : StandardUtm.Length;
    }

    private static string CapEncoded(string value, int max)
    {
        if (value.Length <= max)
        {
            return value;
        }

        int cut = max;
        // Do not leave half of a %XX escape behind.
        int percent = value.LastIndexOf('%', cut - 1, Math.Min(3, cut));
        if (percent >= 0 && percent + 3 > cut)
        {
            cut = percent;
        }

        return value[..cut];
    }

    // A name that carries a value of its own ("utm_joe@example.com") is not a campaign parameter.
    [GeneratedRegex("^utm_[a-z0-9_]{1,40}$", RegexOptions.CultureInvariant)]
    private static partial Regex UtmName();
}
