using System.ComponentModel.DataAnnotations;

namespace Analytics.Stats;

/// <summary>Stats API settings (section <c>Stats</c>).</summary>
public sealed class StatsOptions
{
    public const string Section = "Stats";

    /// <summary>Small-cell suppression: rows backed by fewer distinct visitors than this are hidden from every output.</summary>
    [Range(1, 1000)]
    public int MinVisitors { get; set; } = 5;

    /// <summary>Longest date range one request may ask for.</summary>
    [Range(1, 3660)]
    public int MaxRangeDays { get; set; } = 800;

    /// <summary>Rows a list endpoint returns when the request gives no <c>limit</c>.</summary>
    [Range(1, 1_000_000)]
    public int DefaultRows { get; set; } = 1000;

    /// <summary>Largest <c>limit</c> a request may ask for.</summary>
    [Range(1, 1_000_000)]
    public int MaxRows { get; set; } = 100_000;
}
