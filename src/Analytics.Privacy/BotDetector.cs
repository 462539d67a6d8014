using System.Buffers;

namespace Analytics.Privacy;

/// <summary>
/// User-Agent rules for traffic that is not a person with a browser: crawlers and link previewers, HTTP
/// libraries and command-line tools, headless and automated browsers, monitoring probes, and missing or
/// bare User-Agents. Configurable bot IP ranges are checked separately with <see cref="IpRangeList"/>.
/// </summary>
public static class BotDetector
{
    // Case-insensitive substrings; one multi-string search (SearchValues) per call.
    private static readonly SearchValues<string> Markers = SearchValues.Create(
    [
        // crawlers, previewers, AI agents ("bot" itself is handled separately because of the Cubot phone brand)
        "crawl", "spider", "slurp", "archiver", "facebookexternalhit", "facebookcatalog", "meta-externalagent",
        "embedly", "quora link preview", "whatsapp", "bingpreview", "google-inspectiontool", "googleother",
        "mediapartners-google", "adsbot-google", "apis-google", "feedfetcher", "google-read-aloud",
        "google-pagerenderer", "ia_archiver", "chatgpt-user", "anthropic-ai", "claude-web", "perplexity",
        "bytespider", "petalbot", "ahrefs", "semrush", "mj12", "yahoo! slurp", "scrapy", "colly", "nutch",
        "heritrix", "httrack",
        // audits and monitoring
        "lighthouse", "pagespeed", "gtmetrix", "pingdom", "uptimerobot", "statuscake", "site24x7",
        "newrelicpinger", "datadog", "checkly", "uptime-kuma",
        // headless and automated browsers
        "headless", "phantomjs", "puppeteer", "playwright", "selenium", "webdriver", "cypress", "slimerjs",
        "electron-fetch",
        // HTTP libraries and tools
        "curl/", "wget/", "python-requests", "python-urllib", "python-httpx", "python/", "aiohttp", "httpx/",
        "go-http-client", "okhttp", "java/", "apache-httpclient", "jakarta commons", "libwww", "lwp::",
        "lwp-", "winhttp", "node-fetch", "axios/", "undici", "got (", "postmanruntime", "insomnia/",
        "httpie", "php/", "guzzlehttp", "ruby", "mechanize", "reqwest", "dart:io", "dalvik/", "cfnetwork",
        "restsharp", "powershell", "http_request", "libcurl", "zgrab", "masscan", "nmap",
    ], StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="userAgent"/> is empty, bare, or names an automated client.</summary>
    /// <param name="userAgent">The User-Agent header.</param>
    public static bool IsBot(string userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return true;
        }

        var ua = userAgent.AsSpan().Trim();

        // Every browser (and in-app web view) sends a platform comment "( … )"; bare "Mozilla/5.0" or
        // "MyScript/1.0" does not.
        if (!ua.Contains('('))
        {
            return true;
        }

        return ua.ContainsAny(Markers) || ContainsBotWord(ua);
    }

    // "bot" anywhere (Googlebot, bingbot, AhrefsBot, "+http://…/bot.html") except inside "Cubot", a phone brand.
    private static bool ContainsBotWord(ReadOnlySpan<char> ua)
    {
        int offset = 0;
        while (true)
        {
            int index = ua[offset..].IndexOf("bot", StringComparison.OrdinalIgnoreCase);
            if (index < 0)
            {
                return false;
            }

            int at = offset + index;
            if (at < 2 || !ua.Slice(at - 2, 2).Equals("cu", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            offset = at + 3;
        }
    }
}
