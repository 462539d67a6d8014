namespace Analytics.Privacy;

/// <summary>Reduces a referrer to its host, the only part of it analytics keeps.</summary>
public static class ReferrerReducer
{
    /// <summary>
    /// Returns the referrer's host in lower case, without user-info, port or trailing dot
    /// (<c>https://User:pw@News.Example.com:8443/a?b#c</c> → <c>news.example.com</c>). <c>www.</c> is kept.
    /// An IP literal becomes <c>[ip]</c>; personal data in labels is replaced by the <see cref="TextScrubber"/>
    /// placeholders. Empty for empty, relative or invalid input; never throws.
    /// </summary>
    /// <param name="referrer">The <c>document.referrer</c> or Referer header value.</param>
    public static string Host(string referrer)
    {
        if (string.IsNullOrWhiteSpace(referrer))
        {
            return string.Empty;
        }

        try
        {
            return UrlParts.TrySplit(referrer, out var authority, out _) && !authority.IsEmpty
                ? UrlParts.Host(authority, counters: null)
                : string.Empty;
        }
#pragma warning disable CA1031 // Contract: never throw on input.
        catch (Exception)
#pragma warning restore CA1031
        {
            return string.Empty;
        }
    }
}
