using System.Collections.Frozen;

namespace Analytics.Storage;

/// <summary>
/// The read queries the stats API runs, embedded from <c>Queries/*.sql</c>. Each takes <c>{name:Type}</c>
/// parameters to pass to <see cref="IAnalyticsStore.QueryAsync"/>; values are strings in ClickHouse's text form
/// (dates as <c>yyyy-MM-dd</c>, numbers in invariant culture).
/// </summary>
public static class StoreQueries
{
    /// <summary>
    /// Top pages. Parameters: <c>site</c> String, <c>from</c>/<c>to</c> Date (inclusive), <c>min_visitors</c> UInt64,
    /// <c>limit</c> UInt32. Columns: <c>path</c>, <c>views</c>, <c>visitors</c>; ordered by views descending.
    /// </summary>
    public const string Pages = "pages";

    /// <summary>
    /// Most viewed products. Parameters as <see cref="Pages"/>. Columns: <c>product_id</c>, <c>name</c>,
    /// <c>category</c>, <c>views</c>, <c>visitors</c>; ordered by views descending.
    /// </summary>
    public const string Products = "products";

    /// <summary>
    /// Daily totals. Parameters: <c>site</c>, <c>from</c>, <c>to</c>, <c>min_visitors</c>. Columns: <c>day</c>
    /// (yyyy-MM-dd), <c>page_views</c>, <c>product_views</c>, <c>visitors</c>; one row per day with data, oldest first;
    /// days under <c>min_visitors</c> are left out.
    /// </summary>
    public const string Timeseries = "timeseries";

    private static readonly Lazy<FrozenDictionary<string, string>> Embedded = new(Load);

    /// <summary>Names of the embedded queries.</summary>
    public static IEnumerable<string> Names => Embedded.Value.Keys;

    /// <summary>The SQL of query <paramref name="name"/> (file name without <c>.sql</c>).</summary>
    /// <exception cref="KeyNotFoundException">No such query.</exception>
    public static string Get(string name) =>
        Embedded.Value.TryGetValue(name, out var sql)
            ? sql
            : throw new KeyNotFoundException($"No embedded query '{name}'. Known: {string.Join(", ", Names)}.");

    private static FrozenDictionary<string, string> Load()
    {
        const string prefix = "Analytics.Storage.Queries.";
        var assembly = typeof(StoreQueries).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(prefix, StringComparison.Ordinal) && r.EndsWith(".sql", StringComparison.Ordinal))
            .ToFrozenDictionary(
                r => r[prefix.Length..^".sql".Length],
                r => SchemaMigrations.ReadResource(assembly, r),
                StringComparer.Ordinal);
    }
}
