using System.Diagnostics;
using System.Text.Json;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using ClickHouse.Driver.ADO.Parameters;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Storage.ClickHouseServer;

/// <summary>
/// The store on a ClickHouse server through ClickHouse.Driver (HTTP): the same migrations and queries as chDB, rows
/// sent as one RowBinary block per call with the deduplication token as a query setting. The database named in the
/// connection string must exist.
/// </summary>
public sealed class ClickHouseServerStore : IAnalyticsStore, IAsyncDisposable, IDisposable
{
    private const string Source = "ClickHouse";

    private static readonly string[] Columns =
    [
        "site", "event_id", "type", "ts", "day", "visitor_key", "path", "query", "title", "referrer_host",
        "screen_class", "lang", "browser", "browser_version", "os", "device", "country", "is_bot", "product_id",
        "product_name", "product_category", "product_price", "currency",
    ];

    private readonly ClickHouseClient _client;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _migrationLock = new(1, 1);

    /// <summary>Creates a store from validated options (the DI path).</summary>
    public ClickHouseServerStore(IOptions<StorageOptions> options, ILogger<ClickHouseServerStore> logger)
        : this(options.Value.ClickHouse.ConnectionString ?? "", logger)
    {
    }

    /// <summary>Creates a store on <paramref name="connectionString"/> (<c>Host=…;Port=8123;Database=…</c>).</summary>
    public ClickHouseServerStore(string connectionString, ILogger<ClickHouseServerStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _client = new ClickHouseClient(connectionString);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

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

        var options = new InsertOptions
        {
            // One request, one block: the token identifies the whole call, so it must not be split.
            BatchSize = rows.Count,
            MaxDegreeOfParallelism = 1,
            CustomSettings = new Dictionary<string, object>
            {
                ["insert_deduplicate"] = 1,
                ["insert_deduplication_token"] = deduplicationToken,
                ["deduplicate_blocks_in_dependent_materialized_views"] = 1,
            },
        };

        var started = Stopwatch.GetTimestamp();
        try
        {
            await _client.InsertBinaryAsync("events", Columns, rows.Select(ToColumns), options, cancellationToken);
        }
        catch (ClickHouseServerException ex)
        {
            throw EngineErrors.FromEngine(ex.Message, mayEchoRowData: true, Source);
        }

        StorageMetrics.RecordInsert(rows.Count, Stopwatch.GetElapsedTime(started), StorageBackends.ClickHouse);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JsonElement>> QueryAsync(string sql, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var connection = _client.CreateConnection();
            using var command = Command(connection, sql.TrimEnd().TrimEnd(';') + "\nFORMAT JSONEachRow", parameters);
            command.CustomSettings["output_format_json_quote_64bit_integers"] = 0;
            command.CustomSettings["output_format_json_quote_decimals"] = 0;
            using var result = await command.ExecuteRawResultAsync(cancellationToken);
            var bytes = await result.ReadAsByteArrayAsync();
            StorageMetrics.RecordQuery(Stopwatch.GetElapsedTime(started), StorageBackends.ClickHouse);
            return JsonEachRow.Parse(bytes);
        }
        catch (ClickHouseServerException ex)
        {
            throw EngineErrors.FromEngine(ex.Message, mayEchoRowData: false, Source);
        }
    }

    /// <inheritdoc />
    public async Task ExecuteAsync(string sql, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sql);
        try
        {
            using var connection = _client.CreateConnection();
            using var command = Command(connection, sql, parameters);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (ClickHouseServerException ex)
        {
            throw EngineErrors.FromEngine(ex.Message, mayEchoRowData: false, Source);
        }
    }

    private static ClickHouseCommand Command(ClickHouseConnection connection, string sql, IReadOnlyDictionary<string, string>? parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters ?? new Dictionary<string, string>())
        {
            if (!StorageIdentifiers.IsValidIdentifier(name))
            {
                throw new ArgumentException($"Query parameter name '{name}' is not an identifier.", nameof(parameters));
            }

            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static object[] ToColumns(AnonymizedEvent e) =>
    [
        e.Site, e.EventId, e.Type, DateTime.SpecifyKind(e.Timestamp.Kind == DateTimeKind.Local ? e.Timestamp.ToUniversalTime() : e.Timestamp, DateTimeKind.Utc),
        e.Day, e.VisitorKey, e.Path, e.Query, e.Title, e.ReferrerHost, e.ScreenClass, e.Lang, e.Browser,
        e.BrowserVersion, e.Os, e.Device, e.Country, e.IsBot, e.ProductId, e.ProductName, e.ProductCategory,
        e.ProductPrice, e.Currency,
    ];

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
