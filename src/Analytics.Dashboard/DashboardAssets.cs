using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Analytics.Dashboard;

/// <summary>One embedded dashboard file with its content type and a strong ETag.</summary>
internal sealed record DashboardAsset(byte[] Body, string ContentType, string ETag);

/// <summary>The dashboard's static files, embedded at build time as <c>dashboard/PATH</c> resources.</summary>
internal static class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly Lazy<FrozenDictionary<string, DashboardAsset>> Files = new(Load);

    /// <summary>Paths relative to wwwroot, e.g. <c>index.html</c>, <c>assets/dashboard.js</c>.</summary>
    public static IEnumerable<string> Paths => Files.Value.Keys;

    public static bool TryGet(string path, out DashboardAsset asset) => Files.Value.TryGetValue(path, out asset!);

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var path = name.Replace('\\', '/');
            if (!path.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var body = buffer.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 8)) + "\"";
            files[path[Prefix.Length..]] = new DashboardAsset(body, ContentType(path), etag);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentType(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };
}
