using System.Net;

namespace Analytics.Privacy.Tests;

public sealed class BotDetectorTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Mozilla/5.0")]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36")]
    [InlineData("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)")]
    [InlineData("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)")]
    [InlineData("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)")]
    [InlineData("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; +https://openai.com/gptbot)")]
    [InlineData("Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36")]
    [InlineData("Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Puppeteer")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) Playwright/1.42 (KHTML, like Gecko)")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) Selenium WebDriver")]
    [InlineData("curl/8.5.0")]
    [InlineData("Wget/1.21.4")]
    [InlineData("python-requests/2.31.0")]
    [InlineData("Go-http-client/1.1")]
    [InlineData("okhttp/4.12.0")]
    [InlineData("Java/17.0.2")]
    [InlineData("libwww-perl/6.72")]
    [InlineData("Apache-HttpClient/4.5.14 (Java/17.0.8)")]
    [InlineData("PostmanRuntime/7.36.0")]
    [InlineData("Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3803")]
    [InlineData("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)")]
    public void Recognises_bots_tools_and_automation(string ua)
    {
        Assert.True(BotDetector.IsBot(ua));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0")]
    [InlineData("Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36")]
    [InlineData("Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 326.0.3.30.91")]
    public void Does_not_flag_people_with_browsers(string ua)
    {
        Assert.False(BotDetector.IsBot(ua));
    }
}

public sealed class IpRangeListTests
{
    private static readonly IpRangeList Ranges = new(
    [
        "66.249.64.0/19",
        "10.1.2.3/8",
        "203.0.113.7",
        "2001:4860:4801::/48",
        "  ",
        "# comment",
    ]);

    [Theory]
    [InlineData("66.249.64.1", true)]
    [InlineData("66.249.95.255", true)]
    [InlineData("66.249.96.0", false)]
    [InlineData("10.200.0.1", true)]
    [InlineData("11.0.0.1", false)]
    [InlineData("203.0.113.7", true)]
    [InlineData("203.0.113.8", false)]
    [InlineData("::ffff:66.249.65.10", true)]
    [InlineData("2001:4860:4801:10::1", true)]
    [InlineData("2001:4860:4802::1", false)]
    [InlineData("::1", false)]
    public void Matches_addresses_by_prefix(string address, bool expected)
    {
        Assert.Equal(expected, Ranges.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Counts_ranges_and_handles_edge_prefixes()
    {
        Assert.Equal(4, Ranges.Count);
        Assert.True(new IpRangeList(["0.0.0.0/0"]).Contains(IPAddress.Parse("198.51.100.1")));
        Assert.False(new IpRangeList(["0.0.0.0/0"]).Contains(IPAddress.Parse("2001:db8::1")));
        Assert.True(new IpRangeList(["::/0"]).Contains(IPAddress.Parse("2001:db8::1")));
        Assert.False(new IpRangeList([]).Contains(IPAddress.Loopback));
        Assert.False(Ranges.Contains(null!));
    }

    [Theory]
    [InlineData("300.1.1.1/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("example.com")]
    [InlineData("10.0.0.0/")]
    public void Rejects_invalid_entries_at_construction(string entry)
    {
        var error = Assert.Throws<FormatException>(() => new IpRangeList([entry]));
        Assert.Contains(entry, error.Message);
    }
}
