using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Analytics.Collector;

/// <summary>Serves the minified storefront beacon, embedded at build time, with cache headers and an ETag.</summary>
internal static class BeaconScript
{
    private static readonly Lazy<(byte[] Body, string ETag)> Script = new(Load);

    public static IResult Serve(HttpContext http)
    {
        var (body, etag) = Script.Value;
        var headers = http.Response.GetTypedHeaders();
        headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = TimeSpan.FromHours(1) };
        headers.ETag = new EntityTagHeaderValue(etag);
        if (http.Request.Headers.IfNoneMatch.ToString() == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(body, "application/javascript; charset=utf-8");
    }

    private static (byte[], string) Load()
    {
        using var stream = typeof(BeaconScript).Assembly.GetManifestResourceStream("Analytics.Collector.beacon.min.js")
            ?? throw new InvalidOperationException("beacon.min.js is not embedded in Analytics.Collector");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        var bytes = ms.ToArray();
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes).AsSpan(0, 8));
        return (bytes, $"\"{hash}\"");
    }
}
