using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Storage.ChDb;

/// <summary>
/// The store on embedded ClickHouse (chDB). Keeps a small pool of sessions on one data directory, each with
/// <see cref="ChDbOptions.Database"/> as its current database, and runs one statement per session at a time.
/// chDB allows one data directory per process; several stores may share it with different databases.
/// </summary>
public sealed partial class ChDbStore : IAnalyticsStore, IAsyncDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoParameters = new Dictionary<string, string>();

    private readonly ChDbLibrary _library;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _migrationLock = new(1, 1);
    private readonly ConcurrentBag<ChDbConnection> _idle = [];
    private readonly int _poolSize;
    private int _disposed;

    /// <summary>Creates a store from validated options (the DI path).</summary>
    public ChDbStore(IOptions<StorageOptions> options, ILogger<ChDbStore> logger)
        : this(options.Value.ChDb, logger)
    {
    }

    /// <summary>Creates a store; connections open lazily, on first use.</summary>
    /// <exception cref="AnalyticsStoreException">The library is missing or cannot be loaded.</exception>
    public ChDbStore(ChDbOptions options, ILogger<ChDbStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!StorageIdentifiers.IsValidIdentifier(options.Database))
        {
            throw new ArgumentException("Storage:ChDb:Database must be an identifier ([A-Za-z_][A-Za-z0-9_]*).", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.PoolSize, 1, nameof(options));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _library = ChDbLibrary.Load(ChDbLibrary.ResolvePath(options.LibraryPath));
        DataPath = Path.GetFullPath(options.Path);
        Database = options.Database;
        _poolSize = options.PoolSize;
        _slots = new SemaphoreSlim(_poolSize, _poolSize);
    }

    /// <summary>Absolute data directory.</summary>
    public string DataPath { get; }

    /// <summary>The database every session of this store uses.</summary>
    public string Database { get; }

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _migrationLock.WaitAsync(cancellationToken);
        try
        {
            await SchemaMigrations.ApplyAsync(this, _logger, cancellationToken);
        }
        finally
        {
            _migrationLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task InsertEventsAsync(IReadOnlyList<AnonymizedEvent> rows, string deduplicationToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        StorageIdentifiers.ThrowIfInvalidToken(deduplicationToken);
        if (rows.Count == 0)
        {
            return;
        }

        using var buffer = new PooledBufferWriter();
        // The token is the only value placed in SQL text: it is ours and validated to [A-Za-z0-9._:-].
        // deduplicate_blocks_in_dependent_materialized_views makes every aggregate drop a retried block too
        // (each target table has its own non_replicated_deduplication_window, see Migrations/002).
        Encoding.UTF8.GetBytes(
            "INSERT INTO events (" + EventRowWriter.ColumnList + ") SETTINGS insert_deduplicate = 1, insert_deduplication_token = '" +
            deduplicationToken + "', deduplicate_blocks_in_dependent_materialized_views = 1 FORMAT JSONCompactEachRow\n", buffer);
        EventRowWriter.Write(buffer, rows);

        var started = Stopwatch.GetTimestamp();
        await RunAsync(connection => connection.Run(buffer.WrittenSpan, "TabSeparated", mayEchoRowData: true, static _ => 0), cancellationToken);
        StorageMetrics.RecordInsert(rows.Count, Stopwatch.GetElapsedTime(started), StorageBackends.ChDb);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string sql, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var started = Stopwatch.GetTimestamp();
        var rows = await RunAsync(
            connection => connection.Run(sql, parameters ?? NoParameters, "JSONEachRow", JsonEachRow.Parse),
            cancellationToken);
        StorageMetrics.RecordQuery(Stopwatch.GetElapsedTime(started), StorageBackends.ChDb);
        return rows;
    }

    /// <inheritdoc />
    public Task ExecuteAsync(string sql, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        return RunAsync(connection => connection.Run(sql, parameters ?? NoParameters, "TabSeparated", static _ => 0), cancellationToken);
    }

    private async Task<T> RunAsync<T>(Func<ChDbConnection, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _slots.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            cancellationToken.ThrowIfCancellationRequested();
            var connection = _idle.TryTake(out var idle) ? idle : OpenSession();
            try
            {
                // A native statement cannot be cancelled once started; the token is honoured up to here.
                return work(connection);
            }
            finally
            {
                _idle.Add(connection);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private ChDbConnection OpenSession()
    {
        var connection = ChDbConnection.Open(_library, DataPath);
        try
        {
            // Session state: the database is validated as an identifier; JSON numbers stay numbers (UInt64 included).
            Session(connection, $"CREATE DATABASE IF NOT EXISTS `{Database}`");
            Session(connection, $"USE `{Database}`");
            Session(connection, "SET output_format_json_quote_64bit_integers = 0");
            Session(connection, "SET output_format_json_quote_decimals = 0");
            Log.SessionOpened(_logger, Database, ChDbConnection.OpenCount);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        static void Session(ChDbConnection connection, string sql) =>
            connection.Run(Encoding.UTF8.GetBytes(sql), "TabSeparated", mayEchoRowData: false, static _ => 0);
    }

    /// <summary>Waits for running statements, then closes this store's sessions.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        for (var i = 0; i < _poolSize; i++)
        {
            await _slots.WaitAsync();
        }

        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }

        _slots.Release(_poolSize);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Opened a chDB session on database {Database} ({OpenSessions} open in this process)")]
        public static partial void SessionOpened(ILogger logger, string database, int openSessions);
    }
}
