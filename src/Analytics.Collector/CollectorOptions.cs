using System.ComponentModel.DataAnnotations;

namespace Analytics.Collector;

/// <summary>Collector settings (section <c>Collector</c>).</summary>
public sealed class CollectorOptions
{
    public const string Section = "Collector";

    /// <summary>Largest accepted request body.</summary>
    [Range(1024, 1_048_576)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Most events in one batch.</summary>
    [Range(1, 1000)]
    public int MaxEventsPerBatch { get; set; } = 100;

    /// <summary>Client timestamps older than this (relative to receive time) are clamped to receive time.</summary>
    public TimeSpan MaxClientLag { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Client timestamps further ahead than this are clamped to receive time.</summary>
    public TimeSpan MaxClientLead { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Retry-After (seconds) sent with 503 when the transport is full or unavailable.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>Proxies (IP addresses or CIDR ranges) whose <c>X-Forwarded-For</c> is trusted.</summary>
    public List<string> TrustedProxies { get; set; } = [];
}
