using System.Text.Encodings.Web;
using System.Text.Json;
using System.Buffers;
using Analytics.Contracts;

namespace Analytics.Benchmarks;

/// <summary>
/// Realistic inputs shaped like the simulator's shop traffic (what `analytics bench` sends): current browser
/// User-Agents, product and category URLs with campaign parameters and click ids, shop titles, search referrers.
/// No PII in the common case, as in real traffic; a few inputs carry some so the replace paths are measured too.
/// </summary>
internal static class SampleData
{
    public const string Site = "demo";

    public static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.86 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (Linux; Android 13; Pixel 7a) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.6167.178 Mobile Safari/537.36",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    ];

    public static readonly string[] Urls =
    [
        "https://demo.example/p/rose-hip-face-serum-30ml?utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale",
        "https://demo.example/c/skincare/serums",
        "https://demo.example/p/velvet-matte-lipstick-ruby?utm_source=instagram&utm_medium=social&utm_campaign=holiday24&fbclid=IwAR2xF9kLmQ0pZ7vR3sT8uY1wE4aB6cD9fG2hJ5kL8nM1oP4qR7sT0uV3wX6yZ",
        "https://demo.example/",
        "https://demo.example/search?q=vitamin+c+cream",
        "https://demo.example/p/lavender-body-lotion-250ml?gclid=Cj0KCQiA7OqrBhD9ARIsAK3UXh0aBcDeFgHiJkLmNoPqRsTuVwXyZ",
        "https://demo.example/account/orders/100234567?ref=mail",
        "https://demo.example/c/fragrance",
    ];

    public static readonly string[] Titles =
    [
        "Rose Hip Face Serum 30 ml - Bloom & Glow",
        "Serums - Skincare - Bloom & Glow",
        "Velvet Matte Lipstick, Ruby - Bloom & Glow",
        "Bloom & Glow - natural cosmetics",
        "Search: vitamin c cream - Bloom & Glow",
        "Lavender Body Lotion 250 ml - Bloom & Glow",
        "Welcome back jane.doe@example.com - My orders - Bloom & Glow",
        "Fragrance - Bloom & Glow",
    ];

    public static readonly string[] Referrers =
    [
        "https://www.google.com/",
        "https://demo.example/c/skincare/serums",
        "https://l.instagram.com/?u=https%3A%2F%2Fdemo.example%2Fp%2Fvelvet",
        "",
        "https://demo.example/",
        "https://www.bing.com/search?q=lavender+lotion",
        "https://mail.google.com/",
        "https://demo.example/search?q=perfume",
    ];

    public static readonly string[] Ips = ["203.0.113.54", "2001:db8:85a3::8a2e:370:7334", "198.51.100.7", "192.0.2.200"];

    public static ProductInfo? ProductFor(int i) => i % 3 == 0
        ? new ProductInfo($"SKU-{1000 + i}", "Rose Hip Face Serum 30 ml", "skincare/serums", 24.90m, "EUR")
        : null;

    /// <summary>Events as the collector hands them to the anonymizer: one User-Agent and IP per visitor.</summary>
    public static CollectedEvent[] CollectedEvents(int count, long timestampMs)
    {
        var events = new CollectedEvent[count];
        for (int i = 0; i < count; i++)
        {
            int visitor = i / 10;
            events[i] = new CollectedEvent
            {
                Site = Site,
                Type = i % 3 == 0 ? EventTypes.ProductView : EventTypes.PageView,
                EventId = Guid.NewGuid(),
                TimestampMs = timestampMs + i,
                ReceivedAtMs = timestampMs + i,
                Url = Urls[i % Urls.Length],
                Referrer = Referrers[i % Referrers.Length],
                Title = Titles[i % Titles.Length],
                Screen = "390x844",
                Lang = "en-GB",
                Product = ProductFor(i),
                ClientIp = Ips[visitor % Ips.Length],
                UserAgent = UserAgents[visitor % UserAgents.Length],
            };
        }

        return events;
    }

    /// <summary>A beacon body of <paramref name="count"/> events, written the way the browser script writes it.</summary>
    public static byte[] BatchBody(int count, long timestampMs)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("site", Site);
            w.WriteStartArray("events");
            foreach (var e in CollectedEvents(count, timestampMs))
            {
                w.WriteStartObject();
                w.WriteString("type", e.Type);
                w.WriteString("id", e.EventId);
                w.WriteNumber("ts", e.TimestampMs);
                w.WriteString("url", e.Url);
                w.WriteString("referrer", e.Referrer);
                w.WriteString("title", e.Title);
                w.WriteString("screen", e.Screen);
                w.WriteString("lang", e.Lang);
                if (e.Product is { } p)
                {
                    w.WriteStartObject("product");
                    w.WriteString("id", p.Id);
                    w.WriteString("name", p.Name);
                    w.WriteString("category", p.Category);
                    w.WriteNumber("price", p.Price!.Value);
                    w.WriteString("currency", p.Currency);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
