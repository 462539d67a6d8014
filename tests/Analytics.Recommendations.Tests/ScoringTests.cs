namespace Analytics.Recommendations.Tests;

public sealed class ScoringTests
{
    private static readonly RecommendationSettings Settings = new(MinVisitors: 5, ListLength: 3, Shrinkage: 2);

    [Fact]
    public void Similarity_is_cosine_shrunk_by_support()
    {
        // co = 4, n_i = 8, n_j = 2: cosine 4 / 4 = 1, shrinkage 4 / (4 + 2).
        Assert.Equal(1.0 * 4 / 6, ItemToItemScorer.Similarity(4, 8, 2, 2), 12);
        Assert.Equal(0, ItemToItemScorer.Similarity(0, 8, 2, 2));
        Assert.Equal(0.5, ItemToItemScorer.Similarity(2, 4, 4, 0), 12);
    }

    [Fact]
    public void Lists_rank_coviews_first_never_self_and_fill_cold_products_from_their_category()
    {
        CoviewCount[] counts =
        [
            new("A", "", 10, 10), new("B", "", 10, 10), new("C", "", 5, 5), new("D", "", 3, 3),
            new("A", "B", 8, 8), new("A", "C", 5, 5),
        ];
        TrendingProduct[] trending = [new("A", "x", 10), new("B", "x", 8), new("D", "y", 6), new("E", "y", 4), new("F", "x", 1)];
        var rows = ItemToItemScorer.Score(counts, trending, Settings);

        Assert.DoesNotContain(rows, r => r.ProductId == r.RecommendedId);
        var a = rows.Where(r => r.ProductId == "A").OrderBy(r => r.Rank).ToList();
        Assert.Equal(["B", "C", "F"], a.Select(r => r.RecommendedId));
        Assert.Equal(["coview", "coview", "trending"], a.Select(r => r.Source));
        Assert.True(a[0].Score > a[1].Score && a[1].Score > a[2].Score);

        // D has no co-views: its own category first (E), then the whole shop by trend (A, B).
        var d = rows.Where(r => r.ProductId == "D").OrderBy(r => r.Rank).Select(r => r.RecommendedId).ToList();
        Assert.Equal(["E", "A", "B"], d);

        var fallback = rows.Where(r => r.ProductId == "").OrderBy(r => r.Rank).Select(r => r.RecommendedId).ToList();
        Assert.Equal(["A", "B", "D"], fallback);
    }

    [Fact]
    public void Sequential_weight_makes_the_list_directional_and_related_products_fill_before_trending()
    {
        // A and B co-viewed symmetrically, but B usually follows A: with β > 0, A ranks B above C, C ranks B lower.
        CoviewCount[] counts =
        [
            new("A", "", 10, 10), new("B", "", 10, 10), new("C", "", 10, 10), new("D", "", 10, 10),
            new("A", "B", 5, 5, SeqAb: 5, SeqBa: 0), new("A", "C", 5, 5, SeqAb: 0, SeqBa: 5), new("C", "D", 5, 5, SeqAb: 5, SeqBa: 0),
        ];
        TrendingProduct[] trending = [new("E", "", 10)];
        var settings = Settings with { ListLength = 4, SequenceWeight = 0.5 };
        var rows = ItemToItemScorer.Score(counts, trending, settings);
        var a = rows.Where(r => r.ProductId == "A").OrderBy(r => r.Rank).ToList();
        Assert.Equal(["B", "C", "D", "E"], a.Select(r => r.RecommendedId));
        Assert.Equal(["coview", "coview", "related", "trending"], a.Select(r => r.Source));
        Assert.True(a[0].Score > a[1].Score && a[1].Score > a[2].Score);
        // score(A → B) = (1 − β) · sim + β · seq / n_A.
        Assert.Equal(0.5 * ItemToItemScorer.Similarity(5, 10, 10, 2) + 0.5 * 5 / 10.0, a[0].Score, 12);

        var without = ItemToItemScorer.Score(counts, trending, settings with { RelatedFill = false })
            .Where(r => r.ProductId == "A").OrderBy(r => r.Rank).Select(r => r.Source);
        Assert.Equal(["coview", "coview", "trending"], without);
    }

    [Theory]
    [InlineData(0, 10, 0.0, 0.2775)]
    [InlineData(5, 10, 0.2366, 0.7634)]
    [InlineData(10, 10, 0.7225, 1.0)]
    public void Wilson_interval_matches_reference_values(long clicks, long impressions, double low, double high)
    {
        var (l, h) = Wilson.Interval(clicks, impressions);
        Assert.Equal(low, l, 3);
        Assert.Equal(high, h, 3);
    }

    [Fact]
    public void Wilson_interval_without_trials_is_uninformative_and_caps_clicks()
    {
        Assert.Equal((0.0, 1.0), Wilson.Interval(0, 0));
        Assert.Equal(Wilson.Interval(10, 10), Wilson.Interval(12, 10));
    }
}
