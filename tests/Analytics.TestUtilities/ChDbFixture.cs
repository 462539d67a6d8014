using System.Globalization;
using Analytics.Storage;
using Analytics.Storage.ChDb;
using Xunit;

namespace Analytics.TestUtilities;

/// <summary>
/// One embedded ClickHouse engine per test process (chDB allows one data directory per process), in a temporary
/// directory removed at the end. Each test class takes its own database with <see cref="CreateStoreAsync"/> (or, for a
/// whole host, <see cref="ConfigurationFor"/>), so tests never see each other's rows.
/// </summary>
/// <remarks>
/// Register once per test assembly: <c>[assembly: AssemblyFixture(typeof(ChDbFixture))]</c>, then take
/// <see cref="ChDbFixture"/> in a test class constructor. Also usable as a collection fixture.
/// A missing libchdb.so fails every test with one line naming scripts/setup-chdb.sh.
/// </remarks>
public sealed class ChDbFixture : IAsyncLifetime
{
    private static int s_databases;
    private ChDbStore? _anchor;

    public ChDbFixture()
    {
        DataPath = Path.Combine(Path.GetTempPath(), "analytics-tests", $"chdb-{Environment.ProcessId}-{Guid.NewGuid():N}");
        LibraryPath = Environment.GetEnvironmentVariable("CHDB_LIB_PATH") is { Length: > 0 } fromEnvironment
            ? Path.GetFullPath(fromEnvironment)
            : DefaultLibraryPath();
    }

    /// <summary>The engine's data directory for this test process.</summary>
    public string DataPath { get; }

    /// <summary>The libchdb.so the stores load.</summary>
    public string LibraryPath { get; }

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(LibraryPath))
        {
            throw new InvalidOperationException(
                $"chDB library not found at '{LibraryPath}'. Run scripts/setup-chdb.sh (or set CHDB_LIB_PATH) before the tests.");
        }

        // Keeps one session open for the whole run: closing the last session stops the engine, and restarting it
        // for every test class would cost ~70 ms each.
        _anchor = new ChDbStore(OptionsFor("default"));
        await _anchor.QueryAsync("SELECT 1", new Dictionary<string, string>(), CancellationToken.None);
    }

    /// <summary>A database name no other test in this process uses, e.g. <c>t3_pages</c>.</summary>
    public static string NewDatabaseName(string? hint = null)
    {
        var number = Interlocked.Increment(ref s_databases).ToString(CultureInfo.InvariantCulture);
        var cleaned = new string((hint ?? "db").Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray());
        var name = $"t{number}_{cleaned}";
        return name.Length <= 64 ? name : name[..64];
    }

    /// <summary>Store options on this engine for <paramref name="database"/>.</summary>
    public ChDbOptions OptionsFor(string database, int poolSize = 4) => new()
    {
        LibraryPath = LibraryPath,
        Path = DataPath,
        Database = database,
        PoolSize = poolSize,
    };

    /// <summary>
    /// A store on a fresh database (<see cref="NewDatabaseName"/>), migrated. The caller disposes it; the database
    /// stays until the engine's directory is removed at the end of the run.
    /// </summary>
    public async Task<ChDbStore> CreateStoreAsync(string? hint = null, CancellationToken cancellationToken = default)
    {
        var store = new ChDbStore(OptionsFor(NewDatabaseName(hint)));
        try
        {
            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Configuration keys that point a whole host (<c>AddAnalyticsStorage</c>) at this engine and
    /// <paramref name="database"/>; add them to an in-memory configuration source.
    /// </summary>
    public IReadOnlyDictionary<string, string?> ConfigurationFor(string database) => new Dictionary<string, string?>
    {
        ["Storage:Backend"] = StorageBackends.ChDb,
        ["Storage:ChDb:LibraryPath"] = LibraryPath,
        ["Storage:ChDb:Path"] = DataPath,
        ["Storage:ChDb:Database"] = database,
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_anchor is not null)
        {
            await _anchor.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // A store a test forgot to dispose still holds the engine; the directory is under the temp path anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string DefaultLibraryPath()
    {
        var cache = Environment.GetEnvironmentVariable("ANALYTICS_CACHE") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "analytics");
        return Path.Combine(cache, "chdb", "26.7.3-stable.1", "libchdb.so");
    }
}
