using System.ComponentModel.DataAnnotations;

namespace Analytics.Storage;

/// <summary>Settings of section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string SectionName = "Storage";

    /// <summary><c>chdb</c> (embedded, the default) or <c>clickhouse</c> (a ClickHouse server).</summary>
    [Required]
    [AllowedValues(StorageBackends.ChDb, StorageBackends.ClickHouse)]
    public string Backend { get; set; } = StorageBackends.ChDb;

    /// <summary>Settings of the embedded backend (<c>Storage:ChDb</c>).</summary>
    public ChDbOptions ChDb { get; set; } = new();

    /// <summary>Settings of the server backend (<c>Storage:ClickHouse</c>).</summary>
    public ClickHouseServerOptions ClickHouse { get; set; } = new();
}

/// <summary>Names accepted by <see cref="StorageOptions.Backend"/>.</summary>
public static class StorageBackends
{
    public const string ChDb = "chdb";
    public const string ClickHouse = "clickhouse";
}

/// <summary>Settings of the embedded chDB backend, section <c>Storage:ChDb</c>.</summary>
public sealed class ChDbOptions
{
    /// <summary>
    /// Path of libchdb.so. When empty: env <c>CHDB_LIB_PATH</c>, else the cache path that scripts/setup-chdb.sh fills
    /// (<c>${ANALYTICS_CACHE:-~/.cache/analytics}/chdb/26.7.3-stable.1/libchdb.so</c>).
    /// </summary>
    public string? LibraryPath { get; set; }

    /// <summary>Data directory. chDB allows one data directory per process.</summary>
    [Required]
    public string Path { get; set; } = ".data/chdb";

    /// <summary>Database the store creates and uses (current database of every pooled connection).</summary>
    [Required]
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]{0,63}$", ErrorMessage = "Storage:ChDb:Database must be an identifier ([A-Za-z_][A-Za-z0-9_]*, at most 64 characters).")]
    public string Database { get; set; } = "analytics";

    /// <summary>Connections kept open; each runs one statement at a time.</summary>
    [Range(1, 64)]
    public int PoolSize { get; set; } = 4;
}

/// <summary>Settings of the ClickHouse server backend, section <c>Storage:ClickHouse</c> (reserved).</summary>
public sealed class ClickHouseServerOptions
{
    /// <summary>ClickHouse.Driver connection string, e.g. <c>Host=localhost;Port=8123;Database=analytics</c>.</summary>
    public string? ConnectionString { get; set; }
}
