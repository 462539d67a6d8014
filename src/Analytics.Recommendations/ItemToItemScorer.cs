namespace Analytics.Recommendations;

/// <summary>
/// Co-view counts over the window: a pair (<see cref="ProductB"/> non-empty) or one product's session count.
/// <see cref="SeqAb"/> / <see cref="SeqBa"/> are the pair's sequential weights (sum of 1 / distance over views of A
/// followed by B, resp. B followed by A, within a session).
/// </summary>
public sealed record CoviewCount(string ProductA, string ProductB, long Sessions, long Visitors, double SeqAb = 0, double SeqBa = 0);

/// <summary>Decayed popularity of one product.</summary>
public sealed record TrendingProduct(string ProductId, string Category, double Score);

/// <summary>One row of a recommendation list. <see cref="ProductId"/> "" is the fallback list.</summary>
public sealed record Recommendation(string ProductId, int Rank, string RecommendedId, double Score, string Source);

/// <summary>
/// Item-to-item scores from co-views, pure. sim(i, j) = co / √(n_i · n_j) · co / (co + λ): the cosine of the two
/// products' session vectors, shrunk towards 0 when few sessions support it; blended with the sequential weight,
/// score(i → j) = (1 − β) · sim(i, j) + β · seq(i → j) / n_i. Each product's list holds its best co-viewed products;
/// a list shorter than the list length is filled first with related products (neighbours of its neighbours,
/// Σ_m score(i → m) · score(m → j), from the same suppressed pairs), then with trending products, first of its own
/// category, then of the whole shop, scored below every co-view.
/// </summary>
public static class ItemToItemScorer
{
    public const string CoviewSource = "coview";
    public const string TrendingSource = "trending";
    public const string RelatedSource = "related";

    /// <summary>Shrunk cosine similarity; 0 when any count is 0.</summary>
    public static double Similarity(long coSessions, long sessionsI, long sessionsJ, double shrinkage) =>
        coSessions <= 0 || sessionsI <= 0 || sessionsJ <= 0
            ? 0
            : coSessions / Math.Sqrt((double)sessionsI * sessionsJ) * (coSessions / (coSessions + shrinkage));

    /// <summary>
    /// Every product's list (products with a session count or a trending score), and the fallback list under "".
    /// <paramref name="counts"/> are already suppressed (only pairs with ≥ k visitors and the minimum support).
    /// </summary>
    public static List<Recommendation> Score(IEnumerable<CoviewCount> counts, IReadOnlyList<TrendingProduct> trending, RecommendationSettings settings)
    {
        var sessions = new Dictionary<string, long>(StringComparer.Ordinal);
        var pairs = new List<CoviewCount>();
        foreach (var c in counts)
        {
            if (c.ProductB.Length == 0) sessions[c.ProductA] = c.Sessions;
            else pairs.Add(c);
        }

        var neighbours = new Dictionary<string, List<(string Id, double Score, long Co)>>(StringComparer.Ordinal);
        var beta = settings.SequenceWeight;
        foreach (var p in pairs)
        {
            // A pair reaches k visitors only if both products do, so their counts are present; fall back to co if not.
            var ni = sessions.GetValueOrDefault(p.ProductA, p.Sessions);
            var nj = sessions.GetValueOrDefault(p.ProductB, p.Sessions);
            var sim = Similarity(p.Sessions, ni, nj, settings.Shrinkage);
            if (sim <= 0) continue;
            Add(p.ProductA, p.ProductB, Blend(sim, p.SeqAb, ni), p.Sessions);
            Add(p.ProductB, p.ProductA, Blend(sim, p.SeqBa, nj), p.Sessions);
        }

        foreach (var list in neighbours.Values)
        {
            list.Sort(static (a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : b.Co != a.Co ? b.Co.CompareTo(a.Co) : string.CompareOrdinal(a.Id, b.Id));
        }

        var maxTrend = trending.Count == 0 ? 1 : Math.Max(trending.Max(t => t.Score), 1e-12);
        var byCategory = trending.GroupBy(t => t.Category, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Score).ThenBy(t => t.ProductId, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var global = trending.OrderByDescending(t => t.Score).ThenBy(t => t.ProductId, StringComparer.Ordinal).ToList();
        var categoryOf = trending.ToDictionary(t => t.ProductId, t => t.Category, StringComparer.Ordinal);

        var products = new SortedSet<string>(sessions.Keys, StringComparer.Ordinal);
        products.UnionWith(trending.Select(t => t.ProductId));
        products.UnionWith(neighbours.Keys);
        products.Remove("");

        var k = settings.ListLength;
        var rows = new List<Recommendation>(products.Count * k + k);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var product in products)
        {
            taken.Clear();
            taken.Add(product);
            var rank = 0;
            if (neighbours.TryGetValue(product, out var list))
            {
                foreach (var n in list)
                {
                    if (rank == k) break;
                    if (!taken.Add(n.Id)) continue;
                    rows.Add(new Recommendation(product, ++rank, n.Id, n.Score, CoviewSource));
                }

                if (rank < k && settings.RelatedFill) FillRelated(product, list, ref rank);
            }

            if (rank < k && categoryOf.TryGetValue(product, out var category) && byCategory.TryGetValue(category, out var same))
            {
                Fill(product, same, ref rank);
            }

            if (rank < k) Fill(product, global, ref rank);
        }

        var fallbackRank = 0;
        taken.Clear();
        Fill("", global, ref fallbackRank);
        return rows;

        double Blend(double sim, double seq, long n) => (1 - beta) * sim + (n > 0 ? beta * seq / n : 0);

        // Two steps through the pair graph: every pair used is one that passed suppression, so nothing below k is read.
        void FillRelated(string product, List<(string Id, double Score, long Co)> direct, ref int rank)
        {
            var related = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var m in direct)
            {
                if (!neighbours.TryGetValue(m.Id, out var next)) continue;
                foreach (var j in next)
                {
                    if (taken.Contains(j.Id)) continue;
                    related[j.Id] = related.GetValueOrDefault(j.Id) + m.Score * j.Score;
                }
            }

            // Scored below the product's last co-view, so a list's scores never increase with the rank.
            var ceiling = rank == 0 ? 1 : rows[^1].Score;
            var best = related.Count == 0 ? 1 : related.Values.Max();
            foreach (var (id, score) in related.OrderByDescending(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal))
            {
                if (rank == k) break;
                taken.Add(id);
                rows.Add(new Recommendation(product, ++rank, id, ceiling * 0.5 * score / best, RelatedSource));
            }
        }

        void Add(string from, string to, double score, long co)
        {
            if (!neighbours.TryGetValue(from, out var l)) neighbours[from] = l = [];
            l.Add((to, score, co));
        }

        void Fill(string product, List<TrendingProduct> candidates, ref int rank)
        {
            foreach (var t in candidates)
            {
                if (rank == k) break;
                if (!taken.Add(t.ProductId)) continue;
                rows.Add(new Recommendation(product, ++rank, t.ProductId, settings.TrendingWeight * t.Score / maxTrend, TrendingSource));
            }
        }
    }
}
