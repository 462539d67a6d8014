using System.Runtime.InteropServices;

namespace Analytics.Storage.ChDb;

/// <summary>
/// libchdb.so loaded from a path chosen at run time, with the C functions the store calls (chdb.h of chdb-core).
/// One library per process: it is loaded once and never unloaded (the engine keeps global state).
/// </summary>
internal sealed unsafe class ChDbLibrary
{
    /// <summary>The chDB release scripts/setup-chdb.sh installs.</summary>
    public const string Version = "26.7.3-stable.1";

    private static readonly Lock LoadLock = new();
    private static ChDbLibrary? s_loaded;

    private ChDbLibrary(string path, nint handle)
    {
        Path = path;
        SetSignalHandlersEnabled = (delegate* unmanaged[Cdecl]<int, void>)Export(handle, "chdb_set_signal_handlers_enabled");
        Connect = (delegate* unmanaged[Cdecl]<int, byte**, nint*>)Export(handle, "chdb_connect");
        CloseConnection = (delegate* unmanaged[Cdecl]<nint*, void>)Export(handle, "chdb_close_conn");
        QueryN = (delegate* unmanaged[Cdecl]<nint, byte*, nuint, byte*, nuint, nint>)Export(handle, "chdb_query_n");
        QueryWithParams = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte**, byte**, nuint, nint>)Export(handle, "chdb_query_with_params");
        ResultBuffer = (delegate* unmanaged[Cdecl]<nint, byte*>)Export(handle, "chdb_result_buffer");
        ResultLength = (delegate* unmanaged[Cdecl]<nint, nuint>)Export(handle, "chdb_result_length");
        ResultError = (delegate* unmanaged[Cdecl]<nint, byte*>)Export(handle, "chdb_result_error");
        ResultRowsRead = (delegate* unmanaged[Cdecl]<nint, ulong>)Export(handle, "chdb_result_rows_read");
        ResultElapsed = (delegate* unmanaged[Cdecl]<nint, double>)Export(handle, "chdb_result_elapsed");
        DestroyResult = (delegate* unmanaged[Cdecl]<nint, void>)Export(handle, "chdb_destroy_query_result");

        // .NET owns the process's signals; chDB's handlers would fight the runtime's (GC suspension, Ctrl+C).
        SetSignalHandlersEnabled(0);
    }

    public string Path { get; }
    public delegate* unmanaged[Cdecl]<int, void> SetSignalHandlersEnabled { get; }
    public delegate* unmanaged[Cdecl]<int, byte**, nint*> Connect { get; }
    public delegate* unmanaged[Cdecl]<nint*, void> CloseConnection { get; }
    public delegate* unmanaged[Cdecl]<nint, byte*, nuint, byte*, nuint, nint> QueryN { get; }
    public delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte**, byte**, nuint, nint> QueryWithParams { get; }
    public delegate* unmanaged[Cdecl]<nint, byte*> ResultBuffer { get; }
    public delegate* unmanaged[Cdecl]<nint, nuint> ResultLength { get; }
    public delegate* unmanaged[Cdecl]<nint, byte*> ResultError { get; }
    public delegate* unmanaged[Cdecl]<nint, ulong> ResultRowsRead { get; }
    public delegate* unmanaged[Cdecl]<nint, double> ResultElapsed { get; }
    public delegate* unmanaged[Cdecl]<nint, void> DestroyResult { get; }

    /// <summary>
    /// Where the library is looked for: <paramref name="configuredPath"/> (<c>Storage:ChDb:LibraryPath</c>), else env
    /// <c>CHDB_LIB_PATH</c>, else the cache path scripts/setup-chdb.sh fills.
    /// </summary>
    public static string ResolvePath(string? configuredPath)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return System.IO.Path.GetFullPath(configuredPath);
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("CHDB_LIB_PATH");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return System.IO.Path.GetFullPath(fromEnvironment);
        }

        var cache = Environment.GetEnvironmentVariable("ANALYTICS_CACHE");
        if (string.IsNullOrWhiteSpace(cache))
        {
            cache = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "analytics");
        }

        return System.IO.Path.Combine(cache, "chdb", Version, "libchdb.so");
    }

    /// <summary>The one readable line a missing library produces.</summary>
    public static string MissingLibraryMessage(string path) =>
        $"chDB library not found at '{path}'. Run scripts/setup-chdb.sh, or set Storage:ChDb:LibraryPath or CHDB_LIB_PATH.";

    /// <summary>Loads the library at <paramref name="path"/> once per process.</summary>
    public static ChDbLibrary Load(string path)
    {
        lock (LoadLock)
        {
            if (s_loaded is not null)
            {
                return string.Equals(s_loaded.Path, path, StringComparison.Ordinal)
                    ? s_loaded
                    : throw new AnalyticsStoreException(
                        $"chDB is already loaded from '{s_loaded.Path}' in this process; cannot load a second copy from '{path}'.");
            }

            if (!File.Exists(path))
            {
                throw new AnalyticsStoreException(MissingLibraryMessage(path));
            }

            nint handle;
            try
            {
                handle = NativeLibrary.Load(path);
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                throw new AnalyticsStoreException($"chDB library at '{path}' could not be loaded: {ex.Message}", ex);
            }

            s_loaded = new ChDbLibrary(path, handle);
            return s_loaded;
        }
    }

    private static nint Export(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out var address)
            ? address
            : throw new AnalyticsStoreException($"The chDB library lacks '{name}'; scripts/setup-chdb.sh installs chDB {Version}.");
}
