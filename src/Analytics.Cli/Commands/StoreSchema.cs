using System.Text.Json;
using System.Text.RegularExpressions;
using Analytics.Storage;
using Analytics.Storage.ChDb;

namespace Analytics.Cli.Commands;

/// <summary>A table of the live schema with its comment and retention.</summary>
public sealed record SchemaTable(string Name, string Engine, string Comment, string? Ttl, IReadOnlyList<SchemaColumn> Columns)
{
    /// <summary>Whether the table stores rows on its own (a MergeTree family table).</summary>
    public bool IsMergeTree => Engine.Contains("MergeTree", StringComparison.Ordinal);
}

/// <summary>A column of the live schema.</summary>
public sealed record SchemaColumn(string Name, string Type, string Comment);

/// <summary>Reads the live schema (system.tables, system.columns) of the store's current database.</summary>
public static partial class StoreSchema
{
    /// <summary>Options for <c>--data</c>/<c>--database</c>, the library from $CHDB_LIB_PATH or the setup script's cache.</summary>
    public static ChDbOptions Options(string data, string database) => new() { Path = data, Database = database, PoolSize = 1 };

    /// <summary>Every table and view of the current database, ordered by name, with columns in their order.</summary>
    public static async Task<IReadOnlyList<SchemaTable>> ReadAsync(IAnalyticsStore store, CancellationToken cancellationToken)
    {
        var none = new Dictionary<string, string>();
        var tables = await store.QueryAsync(
            "SELECT name, engine, comment, create_table_query FROM system.tables WHERE database = currentDatabase() ORDER BY name", none, cancellationToken);
        var columns = await store.QueryAsync(
            "SELECT table, name, type, comment FROM system.columns WHERE database = currentDatabase() ORDER BY table, position", none, cancellationToken);
        var byTable = columns.GroupBy(c => c.GetProperty("table").GetString()!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<SchemaColumn>)g.Select(c => new SchemaColumn(S(c, "name"), S(c, "type"), S(c, "comment"))).ToList(), StringComparer.Ordinal);
        return tables.Select(t => new SchemaTable(
            S(t, "name"), S(t, "engine"), S(t, "comment"), Ttl(S(t, "create_table_query")),
            byTable.TryGetValue(S(t, "name"), out var cols) ? cols : [])).ToList();
    }

    /// <summary>The table-level TTL expression of a CREATE statement, or null.</summary>
    public static string? Ttl(string createQuery)
    {
        var match = TtlRegex().Match(createQuery);
        return match.Success ? match.Groups["ttl"].Value.Trim() : null;
    }

    private static string S(JsonElement row, string name) => row.GetProperty(name).GetString() ?? "";

    // The engine prints the table TTL after ORDER BY / PRIMARY KEY / SAMPLE BY and before SETTINGS and COMMENT.
    [GeneratedRegex(@"\)\s*(?:ENGINE|ORDER BY|PRIMARY KEY|PARTITION BY|SAMPLE BY).*?\sTTL\s+(?<ttl>.+?)(?=\s+SETTINGS\s|\s+COMMENT\s|$)", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex TtlRegex();
}
