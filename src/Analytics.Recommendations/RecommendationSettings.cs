using System.Globalization;

namespace Analytics.Recommendations;

/// <summary>Everything one job run needs, resolved from <see cref="RecommendationOptions"/> and the suppression threshold.</summary>
/// <param name="MinVisitors">Small-cell suppression k: pairs, products and trending rows need this many distinct visitors.</param>
public sealed record RecommendationSettings(
    int MinVisitors,
    int ListLength = 20,
    int WindowDays = 28,
    int MinSupport = 1,
    double Shrinkage = 5,
    double HalfLifeDays = 7,
    double TrendingWeight = 0.01,
    int MaxItemsPerSession = 50,
    TimeSpan? SessionGap = null,
    double SequenceWeight = 0.3,
    int SequenceSteps = 10,
    bool RelatedFill = true)
{
    /// <summary>Inactivity that ends a session (30 minutes unless set).</summary>
    public TimeSpan Gap => SessionGap ?? TimeSpan.FromMinutes(30);

    public static RecommendationSettings From(RecommendationOptions o, int minVisitors) => new(
        minVisitors, o.ListLength, o.WindowDays, o.MinSupport, o.Shrinkage, o.HalfLifeDays, o.TrendingWeight, o.MaxItemsPerSession, o.SessionGap,
        o.SequenceWeight, o.SequenceSteps, o.RelatedFill);

    /// <summary>A one-line description stored with each version.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"k={MinVisitors};list={ListLength};window_days={WindowDays};min_support={MinSupport};lambda={Shrinkage};half_life_days={HalfLifeDays};trending_weight={TrendingWeight};max_items={MaxItemsPerSession};gap_min={Gap.TotalMinutes};seq_weight={SequenceWeight};seq_steps={SequenceSteps};related_fill={RelatedFill}");
}
