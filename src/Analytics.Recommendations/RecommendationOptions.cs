using System.ComponentModel.DataAnnotations;

namespace Analytics.Recommendations;

/// <summary>Settings of the recommendation job and its serving endpoints (section <c>Recommendations</c>).</summary>
public sealed class RecommendationOptions
{
    public const string Section = "Recommendations";

    /// <summary>How often the hosted job runs (e.g. <c>01:00:00</c>); unset = never in the host (run <c>analytics recommend</c>).</summary>
    public TimeSpan? Schedule { get; set; }

    /// <summary>Wait after start before the first scheduled run.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Recommendations kept per product (the largest <c>k</c> a reader may ask for).</summary>
    [Range(1, 200)]
    public int ListLength { get; set; } = 20;

    /// <summary>Days of session aggregates the similarity and trending read.</summary>
    [Range(1, 760)]
    public int WindowDays { get; set; } = 28;

    /// <summary>Sessions a pair needs before it is scored.</summary>
    [Range(1, 1_000_000)]
    public int MinSupport { get; set; } = 1;

    /// <summary>
    /// Shrinkage λ: similarity is multiplied by co / (co + λ), so pairs seen in few sessions count less. 5 was chosen on
    /// a validation split of the training log (docs/recommendations.md), never on the test day.
    /// </summary>
    [Range(0.0, 10_000.0)]
    public double Shrinkage { get; set; } = 5;

    /// <summary>Half-life of the decayed popularity (trending), in days.</summary>
    [Range(0.1, 3650.0)]
    public double HalfLifeDays { get; set; } = 7;

    /// <summary>Score of the best trending filler relative to a co-view similarity of 1 (fillers rank after co-views).</summary>
    [Range(0.0, 1.0)]
    public double TrendingWeight { get; set; } = 0.01;

    /// <summary>Distinct products per session that form pairs (caps a crawler-like session's quadratic pair count).</summary>
    [Range(2, 1000)]
    public int MaxItemsPerSession { get; set; } = 50;

    /// <summary>
    /// Weight β of the sequential component: score(i → j) = (1 − β) · shrunk cosine(i, j) + β · seq(i → j) / n_i, where
    /// seq is the sequential-rules weight (sum of 1 / distance over views of i followed by j). 0 = symmetric co-views only.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SequenceWeight { get; set; } = 0.3;

    /// <summary>How many views after a view its sequential rule reaches.</summary>
    [Range(1, 50)]
    public int SequenceSteps { get; set; } = 10;

    /// <summary>Fill a short list with neighbours of its neighbours (from the same suppressed pairs) before trending.</summary>
    public bool RelatedFill { get; set; } = true;

    /// <summary>Inactivity that ends a session.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SessionGap { get; set; } = TimeSpan.FromMinutes(30);
}
