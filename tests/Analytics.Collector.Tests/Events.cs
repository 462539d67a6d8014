using System.Globalization;

namespace Analytics.Collector.Tests;

/// <summary>Builds contract-v1 JSON by hand, so tests send exactly the bytes a beacon would.</summary>
internal static class Events
{
    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static string PageView(string path = "/", long? ts = null, Guid? id = null) =>
        $$"""{"type":"page_view","id":"{{id ?? Guid.NewGuid()}}","ts":{{(ts ?? Now).ToString(CultureInfo.InvariantCulture)}},"url":"https://demo.example{{path}}","referrer":"https://www.google.com/","title":"Demo","screen":"1920x1080","lang":"en-US"}""";

    public static string ProductView(string productId = "SKU-1") =>
        $$$"""{"type":"product_view","id":"{{{Guid.NewGuid()}}}","ts":{{{Now}}},"url":"https://demo.example/p/{{{productId}}}","referrer":"","title":"Serum","screen":"390x844","lang":"de-DE","product":{"id":"{{{productId}}}","name":"Rose serum","category":"skincare/serums","price":29.9,"currency":"EUR"}}""";

    public static string Batch(string site, params string[] events) => $$"""{"site":"{{site}}","events":[{{string.Join(",", events)}}]}""";
}
