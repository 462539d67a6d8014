namespace Analytics.Cli.Evaluation;

/// <summary>Accumulates hit rate, MRR and NDCG at a cut-off for next-item predictions with one relevant item.</summary>
public sealed class RankingMetrics(int cutoff)
{
    private long _n, _hits;
    private double _rr, _dcg;

    public int Cutoff => cutoff;
    public long Count => _n;
    public double HitRate => _n == 0 ? 0 : (double)_hits / _n;
    public double Mrr => _n == 0 ? 0 : _rr / _n;
    public double Ndcg => _n == 0 ? 0 : _dcg / _n;

    /// <summary>Records one prediction: <paramref name="list"/> ranked best first, <paramref name="target"/> the true next item.</summary>
    public void Add(IReadOnlyList<string> list, string target)
    {
        _n++;
        var n = Math.Min(cutoff, list.Count);
        for (var i = 0; i < n; i++)
        {
            if (!string.Equals(list[i], target, StringComparison.Ordinal)) continue;
            _hits++;
            _rr += 1.0 / (i + 1);
            _dcg += 1.0 / Math.Log2(i + 2);
            return;
        }
    }
}

/// <summary>Next-item models over training sessions (item ids in time order), each answering a ranked list for the current item.</summary>
public interface INextItemModel
{
    string Name { get; }
    IReadOnlyList<string> Recommend(string current, int count);
}

/// <summary>Most viewed items of the training log (never the current one).</summary>
public sealed class PopularityModel : INextItemModel
{
    private readonly List<string> _ranked;

    public PopularityModel(IEnumerable<IReadOnlyList<string>> sessions)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in sessions) foreach (var i in s) counts[i] = counts.GetValueOrDefault(i) + 1;
        _ranked = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key).ToList();
    }

    public string Name => "popularity";

    public IReadOnlyList<string> Ranked => _ranked;

    public IReadOnlyList<string> Recommend(string current, int count) =>
        _ranked.Where(i => !string.Equals(i, current, StringComparison.Ordinal)).Take(count).ToList();
}

/// <summary>
/// Neighbour lists from pair scores, filled with popular items when short (as the job fills with trending), never the
/// current item. Base of the plain cosine and sequential-rules baselines.
/// </summary>
public abstract class NeighbourModel(PopularityModel popularity) : INextItemModel
{
    private readonly Dictionary<string, Dictionary<string, double>> _scores = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _cache = new(StringComparer.Ordinal);

    public abstract string Name { get; }

    /// <summary>When set, only pairs it allows are scored (the suppressed variants).</summary>
    protected PairSupport? Support { get; init; }

    protected void AddScore(string from, string to, double score)
    {
        if (string.Equals(from, to, StringComparison.Ordinal)) return;
        if (Support is { } support && !support.Allows(from, to)) return;
        if (!_scores.TryGetValue(from, out var row)) _scores[from] = row = new(StringComparer.Ordinal);
        row[to] = row.GetValueOrDefault(to) + score;
    }

    protected double Score(string from, string to) => _scores.TryGetValue(from, out var r) ? r.GetValueOrDefault(to) : 0;

    protected IEnumerable<string> From(string item) => _scores.TryGetValue(item, out var r) ? r.Keys : [];

    protected virtual double Final(string from, string to, double raw) => raw;

    public IReadOnlyList<string> Recommend(string current, int count)
    {
        if (_cache.TryGetValue(current, out var hit) && hit.Count >= count) return hit;
        var list = From(current)
            .Select(to => (to, s: Final(current, to, Score(current, to))))
            .Where(x => x.s > 0)
            .OrderByDescending(x => x.s).ThenBy(x => x.to, StringComparer.Ordinal)
            .Select(x => x.to).Take(count).ToList();
        foreach (var p in popularity.Ranked)
        {
            if (list.Count >= count) break;
            if (!string.Equals(p, current, StringComparison.Ordinal) && !list.Contains(p)) list.Add(p);
        }

        _cache[current] = list;
        return list;
    }
}

/// <summary>
/// Sessions per unordered pair of distinct products (first 50 distinct products of a session, as the job counts them).
/// In the log replay every session is its own visitor, so a pair's sessions are its visitors: the suppressed baselines
/// keep a pair when it reaches k of them, the rule the job applies (the job's visitors are distinct per day and summed
/// over days, so the 4 YOOCHOOSE training sessions that cross midnight count twice there, once here).
/// </summary>
public sealed class PairSupport
{
    private readonly Dictionary<(string, string), int> _co = [];

    public PairSupport(IEnumerable<IReadOnlyList<string>> sessions, int minSessions)
    {
        MinSessions = minSessions;
        foreach (var s in sessions)
        {
            var items = s.Distinct(StringComparer.Ordinal).Take(50).ToArray();
            foreach (var a in items)
            {
                foreach (var b in items)
                {
                    if (string.CompareOrdinal(a, b) < 0) _co[(a, b)] = _co.GetValueOrDefault((a, b)) + 1;
                }
            }
        }
    }

    public int MinSessions { get; }

    public bool Allows(string a, string b) =>
        _co.GetValueOrDefault(string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a)) >= MinSessions;
}

/// <summary>Plain item-to-item cosine over sessions: co / √(n_i n_j); no shrinkage, no minimum support; suppressed only with <paramref name="support"/>.</summary>
public sealed class CosineModel : NeighbourModel
{
    private readonly Dictionary<string, long> _n = new(StringComparer.Ordinal);
    private readonly string _name;

    public CosineModel(IEnumerable<IReadOnlyList<string>> sessions, PopularityModel popularity, PairSupport? support = null) : base(popularity)
    {
        Support = support;
        _name = support is null ? "cosine (plain)" : $"cosine (plain), pairs ≥ k={support.MinSessions}";
        foreach (var s in sessions)
        {
            var items = s.Distinct(StringComparer.Ordinal).ToArray();
            foreach (var i in items) _n[i] = _n.GetValueOrDefault(i) + 1;
            if (items.Length > 50) items = items[..50];
            foreach (var a in items) foreach (var b in items) AddScore(a, b, 1);
        }
    }

    public override string Name => _name;

    protected override double Final(string from, string to, double raw) => raw / Math.Sqrt((double)_n[from] * _n[to]);
}

/// <summary>
/// Sequential rules (Ludewig &amp; Jannach, 2018): for each item a followed by b within <c>steps</c> positions in a
/// session, rule a → b gains 1 / distance.
/// </summary>
public sealed class SequentialRulesModel : NeighbourModel
{
    private readonly string _name;

    public SequentialRulesModel(IEnumerable<IReadOnlyList<string>> sessions, PopularityModel popularity, int steps = 10, PairSupport? support = null) : base(popularity)
    {
        Support = support;
        _name = support is null ? "sequential rules" : $"sequential rules, pairs ≥ k={support.MinSessions}";
        foreach (var s in sessions)
        {
            for (var i = 0; i < s.Count; i++)
            {
                for (var j = i + 1; j < s.Count && j - i <= steps; j++) AddScore(s[i], s[j], 1.0 / (j - i));
            }
        }
    }

    public override string Name => _name;
}

/// <summary>The stored job result: each product's list, else the fallback list, as the serving endpoint answers.</summary>
public sealed class StoredListsModel(string name, IReadOnlyDictionary<string, List<string>> lists) : INextItemModel
{
    public string Name => name;

    public int Products => lists.Count(kv => kv.Key.Length > 0);

    public IReadOnlyList<string> Recommend(string current, int count)
    {
        var list = lists.TryGetValue(current, out var own) ? own : lists.GetValueOrDefault("") ?? [];
        return list.Where(i => !string.Equals(i, current, StringComparison.Ordinal)).Take(count).ToList();
    }
}
