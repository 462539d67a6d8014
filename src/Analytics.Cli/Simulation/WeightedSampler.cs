namespace Analytics.Cli;

/// <summary>Draws indexes in proportion to fixed weights (cumulative table + binary search).</summary>
internal sealed class WeightedSampler<T>
{
    private readonly T[] _items;
    private readonly double[] _cumulative;

    public WeightedSampler(IEnumerable<(T Item, double Weight)> weighted)
    {
        var list = weighted.Where(w => w.Weight > 0).ToList();
        if (list.Count == 0) throw new ArgumentException("At least one positive weight is needed.", nameof(weighted));
        _items = new T[list.Count];
        _cumulative = new double[list.Count];
        var sum = 0.0;
        for (var i = 0; i < list.Count; i++)
        {
            sum += list[i].Weight;
            _items[i] = list[i].Item;
            _cumulative[i] = sum;
        }
    }

    public int Count => _items.Length;

    public T Sample(Random random)
    {
        var x = random.NextDouble() * _cumulative[^1];
        var i = Array.BinarySearch(_cumulative, x);
        if (i < 0) i = ~i;
        return _items[Math.Min(i, _items.Length - 1)];
    }

    /// <summary>Weight of the rank-th item (1-based) under Zipf's law with exponent <paramref name="s"/>.</summary>
    public static double Zipf(int rank, double s) => 1.0 / Math.Pow(rank, s);
}
