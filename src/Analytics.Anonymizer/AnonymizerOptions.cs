using System.ComponentModel.DataAnnotations;

namespace Analytics.Anonymizer;

/// <summary>Anonymizer settings (section <c>Anonymizer</c>).</summary>
public sealed class AnonymizerOptions
{
    public const string Section = "Anonymizer";

    /// <summary>Most events written in one storage block.</summary>
    /// <remarks>
    /// Every block is a new part in <c>events</c> and in each aggregate the materialised views feed, which the engine
    /// then merges; under load (≥ 25k events/s) a cap of 5,000 meant 6+ small blocks a second. With 20,000 the
    /// <see cref="MaxBatchWait"/> window closes the batch first, so latency is unchanged and blocks stay few.
    /// </remarks>
    [Range(1, 1_000_000)]
    public int MaxBatchEvents { get; set; } = 20_000;

    /// <summary>How long a batch gathers events after its first one before it is written.</summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long an event id is remembered to drop beacon retries of the same event.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>IP ranges (CIDR) whose traffic is marked as bots, e.g. data-centre ranges of known crawlers.</summary>
    public List<string> BotIpRanges { get; set; } = [];

    /// <summary>Optional MaxMind GeoLite2/GeoIP2 Country database; when set, the country is derived from the IP before it is dropped.</summary>
    public string? GeoIpDatabasePath { get; set; }

    /// <summary>Storage write resilience: attempts after the first, backoff base, per-attempt timeout.</summary>
    [Range(0, 100)]
    public int WriteRetries { get; set; } = 8;

    public TimeSpan WriteRetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Break the circuit after this failure ratio within <see cref="BreakerSamplingDuration"/>.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.9;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakerDuration { get; set; } = TimeSpan.FromSeconds(5);
}
