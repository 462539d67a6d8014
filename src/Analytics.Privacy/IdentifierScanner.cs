using System.Text.RegularExpressions;

namespace Analytics.Privacy;

/// <summary>
/// Finds identifiers in a stored value, for the privacy check: the scrubbers' rules (e-mail, phone, IP, UUID, JWT,
/// tokens, long digit runs) plus raw User-Agent strings, which the pipeline reduces to browser/OS/device classes and
/// must never store. A value the scrubbers produced (placeholders such as <c>[email]</c>) has no finding.
/// </summary>
public static partial class IdentifierScanner
{
    /// <summary>
    /// Returns what kind of identifier <paramref name="value"/> contains (<c>user_agent</c>, <c>email</c>,
    /// <c>phone</c>, <c>ip</c>, <c>uuid</c>, <c>jwt</c>, <c>token</c>, <c>number</c>), or <see langword="null"/>.
    /// </summary>
    /// <param name="value">A stored string value.</param>
    /// <param name="urlPath">The value is a stored URL path: the path rule for bare digit runs applies (11+ digits).</param>
    public static string? Find(string? value, bool urlPath = false)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (UserAgentRegex().IsMatch(value)) return "user_agent";
        var counters = new ScrubCounters();
        if (urlPath)
        {
            foreach (var segment in value.Split('/')) PiiRules.Apply(segment, counters, pathSegment: true);
        }
        else
        {
            PiiRules.Apply(value, counters);
        }

        foreach (var (reason, count) in counters.Snapshot())
        {
            if (count > 0) return reason;
        }

        return null;
    }

    // The product tokens every browser and most HTTP libraries put in a User-Agent; no scrubbed field carries them.
    [GeneratedRegex(@"Mozilla/\d|AppleWebKit/\d|Gecko/\d|\(KHTML|Windows NT \d|Android \d+[;.)]|iPhone OS \d|curl/\d|python-requests/\d|Dalvik/\d", RegexOptions.CultureInvariant)]
    private static partial Regex UserAgentRegex();
}
