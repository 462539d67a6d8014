namespace Analytics.Dashboard.Tests;

/// <summary>Paths in the checkout the tests run from.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>The host's own build output (its deps.json and wwwroot beside it).</summary>
    public static string HostDll => Environment.GetEnvironmentVariable("ANALYTICS_HOST_DLL") is { Length: > 0 } overridden
        ? overridden
        : Path.Combine(Root, "src", "Analytics.Host", "bin", Configuration, "net10.0", "Analytics.Host.dll");

    public static string CliDll => Path.Combine(Root, "src", "Analytics.Cli", "bin", Configuration, "net10.0", "analytics.dll");

    /// <summary>Where test artifacts go: artifacts/test-results/dashboard (scripts/test.sh's results folder).</summary>
    public static string Artifacts
    {
        get
        {
            var dir = Path.Combine(Root, "artifacts", "test-results", "dashboard");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Analytics.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Analytics.sln not found above " + AppContext.BaseDirectory);
    }
}
