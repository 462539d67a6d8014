namespace Analytics.Privacy;

/// <summary>
/// A compact User-Agent reducer: browser family with its major version, OS family and device class.
/// Rare browsers are reported as <c>other</c> on purpose: a long tail of families and versions would
/// itself help fingerprint a visitor. Token order matters because Chromium browsers all claim to be
/// Chrome and Safari, and every browser claims to be Mozilla.
/// </summary>
public static class UserAgentReducer
{
    private const int MaxVersionDigits = 4;

    private static readonly UserAgentInfo Unknown = new("other", string.Empty, "other", "unknown");

    // (token, family): the first token present decides the browser; the version is the number after it.
    private static readonly (string Token, string Family)[] BrowserTokens =
    [
        // Chromium forks with their own token come before "Chrome/" and are not singled out.
        ("YaBrowser/", "other"), ("Vivaldi/", "other"), ("UCBrowser/", "other"), ("Whale/", "other"),
        ("MiuiBrowser/", "other"), ("HuaweiBrowser/", "other"), ("DuckDuckGo/", "other"), ("Silk/", "other"),
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("Edge/", "Edge"),
        ("OPR/", "Opera"), ("OPT/", "Opera"), ("OPiOS/", "Opera"), ("OPX/", "Opera"), ("Opera Mini/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("FxiOS/", "Firefox"), ("Firefox/", "Firefox"),
        ("CriOS/", "Chrome"), ("Chrome/", "Chrome"),
    ];

    /// <summary>Reduces <paramref name="userAgent"/>; empty or unrecognisable input gives <c>other/other/unknown</c> (or <c>bot</c>).</summary>
    /// <param name="userAgent">The User-Agent header.</param>
    /// <remarks>Results are memoised per User-Agent in a small bounded cache (by keyed hash, never the raw string).</remarks>
    public static UserAgentInfo Reduce(string userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return Unknown with { Device = "bot" };
        }

        ulong key = UserAgentClassCache.KeyOf(userAgent);
        if (UserAgentClassCache.TryGet(key, userAgent.Length, out var cached))
        {
            return cached;
        }

        var info = ReduceCore(userAgent);
        UserAgentClassCache.Set(key, userAgent.Length, info);
        return info;
    }

    private static UserAgentInfo ReduceCore(string userAgent)
    {
        bool bot = BotDetector.IsBot(userAgent);
        var ua = userAgent.AsSpan();
        var (browser, version) = Browser(ua);
        string os = Os(ua);
        string device = bot ? "bot" : Device(ua, os);
        return new UserAgentInfo(browser, browser == "other" ? string.Empty : version, os, device);
    }

    private static (string Family, string Version) Browser(ReadOnlySpan<char> ua)
    {
        foreach (var (token, family) in BrowserTokens)
        {
            int at = ua.IndexOf(token, StringComparison.Ordinal);
            if (at >= 0)
            {
                return (family, Major(ua[(at + token.Length)..]));
            }
        }

        // Old Presto Opera: "Opera/9.80 (…) Presto/2.12 Version/12.16".
        if (ua.StartsWith("Opera/", StringComparison.Ordinal))
        {
            return ("Opera", VersionToken(ua));
        }

        // Safari names its version in "Version/"; Android's old stock browser does too, but is not Safari,
        // and iOS in-app web views (no "Safari/" token) are not the Safari app.
        if (ua.Contains("Safari/", StringComparison.Ordinal)
            && ua.Contains("Version/", StringComparison.Ordinal)
            && !ua.Contains("Android", StringComparison.Ordinal))
        {
            return ("Safari", VersionToken(ua));
        }

        return ("other", string.Empty);
    }

    private static string VersionToken(ReadOnlySpan<char> ua)
    {
        int at = ua.IndexOf("Version/", StringComparison.Ordinal);
        return at < 0 ? string.Empty : Major(ua[(at + "Version/".Length)..]);
    }

    private static string Major(ReadOnlySpan<char> afterToken)
    {
        int length = 0;
        while (length < afterToken.Length && length < MaxVersionDigits + 1 && char.IsAsciiDigit(afterToken[length]))
        {
            length++;
        }

        // Strip leading zeros ("07" → "7"); more than four digits is not a real major version.
        var digits = afterToken[..length].TrimStart('0');
        return length == 0 || length > MaxVersionDigits ? string.Empty : digits.IsEmpty ? "0" : digits.ToString();
    }

    private static string Os(ReadOnlySpan<char> ua)
    {
        if (ua.Contains("Windows Phone", StringComparison.Ordinal))
        {
            return "other";
        }

        if (ua.Contains("Windows", StringComparison.Ordinal))
        {
            return "Windows";
        }

        // iPhones say "like Mac OS X", so iOS goes before macOS.
        if (ua.Contains("iPhone", StringComparison.Ordinal) || ua.Contains("iPad", StringComparison.Ordinal)
            || ua.Contains("iPod", StringComparison.Ordinal))
        {
            return "iOS";
        }

        if (ua.Contains("Macintosh", StringComparison.Ordinal) || ua.Contains("Mac OS X", StringComparison.Ordinal))
        {
            return "macOS";
        }

        // ChromeOS and Android both say "Linux"; check them first.
        if (ua.Contains("CrOS", StringComparison.Ordinal))
        {
            return "ChromeOS";
        }

        if (ua.Contains("Android", StringComparison.Ordinal))
        {
            return "Android";
        }

        if (ua.Contains("Linux", StringComparison.Ordinal) && !ua.Contains("webOS", StringComparison.Ordinal)
            && !ua.Contains("Tizen", StringComparison.Ordinal))
        {
            return "Linux";
        }

        return "other";
    }

    private static string Device(ReadOnlySpan<char> ua, string os)
    {
        if (ua.Contains("iPad", StringComparison.Ordinal) || ua.Contains("Tablet", StringComparison.Ordinal)
            || ua.Contains("Kindle", StringComparison.Ordinal) || ua.Contains("Silk/", StringComparison.Ordinal)
            || ua.Contains("PlayBook", StringComparison.Ordinal))
        {
            return "tablet";
        }

        if (ua.Contains("Mobi", StringComparison.Ordinal) || ua.Contains("iPhone", StringComparison.Ordinal)
            || ua.Contains("iPod", StringComparison.Ordinal) || ua.Contains("Opera Mini", StringComparison.Ordinal)
            || ua.Contains("BlackBerry", StringComparison.Ordinal) || ua.Contains("Windows Phone", StringComparison.Ordinal))
        {
            return "mobile";
        }

        // Android phones send "Mobile"; Android tablets (and phones in desktop mode) do not.
        if (os == "Android")
        {
            return "tablet";
        }

        if (ua.Contains("SmartTV", StringComparison.Ordinal) || ua.Contains("SMART-TV", StringComparison.Ordinal)
            || ua.Contains("Xbox", StringComparison.Ordinal) || ua.Contains("PlayStation", StringComparison.Ordinal))
        {
            return "unknown";
        }

        return os is "Windows" or "macOS" or "Linux" or "ChromeOS" ? "desktop" : "unknown";
    }
}
