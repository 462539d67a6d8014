using System.Globalization;

namespace Analytics.Cli;

/// <summary>Realistic User-Agent strings, varied in versions so that every visitor can have its own.</summary>
internal static class UserAgents
{
    private static readonly string[] AndroidDevices = ["SM-S918B", "SM-A546B", "Pixel 8", "Pixel 7a", "SM-G991B", "2201116SG", "CPH2451", "moto g54 5G"];

    private static string Chrome(Random r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Next(118, 134)}.0.{r.Next(5993, 6999)}.{r.Next(0, 230)}");

    /// <summary>A browser User-Agent; <paramref name="mobile"/> picks phone browsers.</summary>
    public static string Human(Random r, bool mobile)
    {
        if (mobile)
        {
            switch (r.Next(10))
            {
                case < 5:
                {
                    var major = r.Next(16, 19);
                    var minor = r.Next(0, 7);
                    var patch = r.Next(0, 4);
                    var os = patch == 0 ? $"{major}_{minor}" : $"{major}_{minor}_{patch}";
                    var build = string.Create(CultureInfo.InvariantCulture, $"{r.Next(15, 22)}{(char)('A' + r.Next(0, 8))}{r.Next(5, 400)}");
                    return $"Mozilla/5.0 (iPhone; CPU iPhone OS {os} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{major}.{minor} Mobile/{build} Safari/604.1";
                }
                case < 9:
                    return $"Mozilla/5.0 (Linux; Android {r.Next(11, 15)}; {AndroidDevices[r.Next(AndroidDevices.Length)]}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{Chrome(r)} Mobile Safari/537.36";
                default:
                    return string.Create(CultureInfo.InvariantCulture,
                        $"Mozilla/5.0 (Linux; Android {r.Next(12, 15)}; {AndroidDevices[r.Next(3)]}) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/{r.Next(20, 27)}.{r.Next(0, 3)} Chrome/{Chrome(r)} Mobile Safari/537.36");
            }
        }
        return r.Next(10) switch
        {
            < 4 => $"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{Chrome(r)} Safari/537.36",
            < 6 => $"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{Chrome(r)} Safari/537.36",
            < 7 => MacSafari(r),
            < 8 => Edge(r),
            _ => Firefox(r),
        };
    }

    private static string MacSafari(Random r)
    {
        var major = r.Next(16, 19);
        var minor = r.Next(0, 7);
        var patch = r.Next(0, 4);
        var v = patch == 0 ? $"{major}.{minor}" : $"{major}.{minor}.{patch}";
        return $"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.{r.Next(10, 16)} (KHTML, like Gecko) Version/{v} Safari/605.1.{r.Next(10, 16)}";
    }

    private static string Edge(Random r)
    {
        var v = Chrome(r);
        var edge = string.Create(CultureInfo.InvariantCulture, $"{v[..v.IndexOf('.')]}.0.{r.Next(2000, 3200)}.{r.Next(0, 120)}");
        return $"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v} Safari/537.36 Edg/{edge}";
    }

    private static string Firefox(Random r)
    {
        var major = r.Next(115, 136);
        var platform = r.Next(3) switch
        {
            0 => "Windows NT 10.0; Win64; x64",
            1 => "Macintosh; Intel Mac OS X 10.15",
            _ => "X11; Ubuntu; Linux x86_64",
        };
        var minor = r.Next(0, 4);
        var version = minor == 0 ? $"{major}.0" : $"{major}.0.{minor}";
        return $"Mozilla/5.0 ({platform}; rv:{major}.0) Gecko/20100101 Firefox/{version}";
    }

    /// <summary>A crawler, scripted or headless client that bot rules must recognise.</summary>
    public static string Bot(Random r) => r.Next(5) switch
    {
        0 => $"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{Chrome(r)} Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        1 => $"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/{Chrome(r)} Safari/537.36",
        2 => string.Create(CultureInfo.InvariantCulture, $"curl/{r.Next(7, 9)}.{r.Next(0, 90)}.{r.Next(0, 5)}"),
        3 => $"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/{Chrome(r)} Safari/537.36",
        _ => $"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/{Chrome(r)} Safari/537.36",
    };
}
