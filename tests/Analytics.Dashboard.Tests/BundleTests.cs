using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Analytics.Dashboard.Tests;

/// <summary>The committed dashboard bundle is what its sources build to (checked without Node, from the build stamp).</summary>
public sealed class BundleTests
{
    private static readonly string Client = Path.Combine(Repo.Root, "src", "Analytics.Dashboard", "Client");
    private static readonly string Assets = Path.Combine(Repo.Root, "src", "Analytics.Dashboard", "wwwroot", "assets");

    [Fact]
    public void Committed_bundle_matches_its_sources()
    {
        var stamp = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(Assets, "build-stamp.json")));
        var inputs = Directory.GetFiles(Path.Combine(Client, "src")).Append(Path.Combine(Client, "build.mjs")).Append(Path.Combine(Client, "package-lock.json"));
        Assert.True(stamp.GetProperty("inputs").GetString() == Stamp(Client, inputs),
            "The dashboard bundle is stale: run `npm ci && npm run build` in src/Analytics.Dashboard/Client and commit wwwroot/assets.");
        var outputs = new[] { "dashboard.js", "dashboard.css", "login.js" }.Select(f => Path.Combine(Assets, f));
        Assert.True(stamp.GetProperty("outputs").GetString() == Stamp(Assets, outputs), "wwwroot/assets was edited by hand: rebuild it.");
    }

    [Fact]
    public void Bundle_has_no_remote_script_or_style_sources()
    {
        foreach (var page in Directory.GetFiles(Path.Combine(Assets, ".."), "*.html"))
        {
            var html = File.ReadAllText(page);
            Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    // Same as stamp() in Client/build.mjs: sorted relative paths, each "path\nsha256(content)\n", hashed.
    private static string Stamp(string root, IEnumerable<string> files)
    {
        var text = new StringBuilder();
        foreach (var rel in files.Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal))
        {
            text.Append(rel).Append('\n').Append(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, rel))))).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
