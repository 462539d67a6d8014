using System.Globalization;
using Analytics.Contracts;
using Analytics.Storage;

namespace Analytics.Cli.Evaluation;

/// <summary>Settings of <see cref="PlantedShop"/>: a pure function of these values.</summary>
public sealed record PlantedShopOptions
{
    public int Seed { get; init; } = 7;
    public string Site { get; init; } = "demo";
    public int Products { get; init; } = 200;
    public int Categories { get; init; } = 8;
    /// <summary>Products per bundle: a bundle's products are viewed together (the planted co-view structure).</summary>
    public int BundleSize { get; init; } = 4;
    /// <summary>Share of sessions that browse one bundle (plus a little noise); the rest browse by popularity.</summary>
    public double BundleShare { get; init; } = 0.7;
    public double ZipfExponent { get; init; } = 1.1;
    public int VisitorsPerDay { get; init; } = 1_000;
    public int Days { get; init; } = 3;
    /// <summary>Last simulated day (UTC); events older than 30 days would be dropped by the events TTL.</summary>
    public DateOnly LastDay { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow);
    public double BotShare { get; init; } = 0.02;
    /// <summary>Whether sessions also send page views, list impressions/clicks and engagement (not only product views).</summary>
    public bool LayoutEvents { get; init; } = true;
}

/// <summary>One simulated session: a visitor-day key, its start, and the products viewed in order.</summary>
public sealed record PlantedSession(int Index, DateOnly Day, ulong VisitorKey, long StartMs, bool IsBot, string? LandingCategory, IReadOnlyList<string> Products, int Seed);

/// <summary>
/// A shop with planted co-view structure, generating anonymized events directly (as the anonymizer would store them):
/// products belong to bundles of <see cref="PlantedShopOptions.BundleSize"/> in one category; most sessions view
/// several products of one bundle in random order, the rest browse Zipf-popular products. A visitor-day has one to
/// three sessions, at least 45 minutes apart, so the 30-minute session split matters. Category landings show a
/// 12-slot product grid (list_impression) with a click-through falling by position (list_click).
/// </summary>
public sealed class PlantedShop
{
    public const string GridList = "category-grid";
    public const int GridSlots = 12;

    private readonly PlantedShopOptions _o;
    private readonly string[] _products;
    private readonly string[] _categoryOf;
    private readonly string[] _categories;
    private readonly int[][] _bundles;
    private readonly double[] _productWeights;
    private readonly double[] _bundleWeights;
    private readonly Dictionary<string, int[]> _byCategory;
    private readonly Dictionary<string, int> _index;

    public PlantedShop(PlantedShopOptions options)
    {
        _o = options;
        var rng = new Random(options.Seed);
        _categories = Enumerable.Range(0, options.Categories).Select(c => "cat-" + c.ToString(CultureInfo.InvariantCulture)).ToArray();
        _products = Enumerable.Range(0, options.Products).Select(i => "P" + i.ToString("D5", CultureInfo.InvariantCulture)).ToArray();
        _index = _products.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
        var order = Enumerable.Range(0, options.Products).ToArray();
        rng.Shuffle(order);
        _bundles = order.Chunk(options.BundleSize).ToArray();
        _categoryOf = new string[options.Products];
        for (var b = 0; b < _bundles.Length; b++)
        {
            foreach (var p in _bundles[b]) _categoryOf[p] = _categories[b % _categories.Length];
        }

        var ranks = Enumerable.Range(1, options.Products).ToArray();
        rng.Shuffle(ranks);
        _productWeights = ranks.Select(r => 1 / Math.Pow(r, options.ZipfExponent)).ToArray();
        _bundleWeights = Enumerable.Range(1, _bundles.Length).Select(r => 1 / Math.Pow(r, 0.8)).ToArray();
        rng.Shuffle(_bundleWeights);
        _byCategory = _categories.ToDictionary(c => c, c => Enumerable.Range(0, options.Products).Where(p => _categoryOf[p] == c)
            .OrderByDescending(p => _productWeights[p]).ToArray(), StringComparer.Ordinal);
    }

    public PlantedShopOptions Options => _o;

    public IReadOnlyList<string> ProductIds => _products;

    public string CategoryOf(string productId) => _categoryOf[_index[productId]];

    /// <summary>The bundle mates of a product (the products planted to be viewed with it).</summary>
    public IReadOnlyList<string> BundleOf(string productId) =>
        _bundles.First(b => b.Contains(_index[productId])).Select(p => _products[p]).ToList();

    /// <summary>Every session, day by day, lazily; the same options give the same sessions.</summary>
    public IEnumerable<PlantedSession> Sessions()
    {
        var rng = new Random(unchecked(_o.Seed * 31 + 1));
        var index = 0;
        for (var d = _o.Days - 1; d >= 0; d--)
        {
            var day = _o.LastDay.AddDays(-d);
            var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();
            for (var v = 0; v < _o.VisitorsPerDay; v++)
            {
                var key = (ulong)rng.NextInt64(1, long.MaxValue);
                var bot = rng.NextDouble() < _o.BotShare;
                var count = rng.NextDouble() switch { < 0.75 => 1, < 0.95 => 2, _ => 3 };
                var at = dayStart + rng.NextInt64(0, 10 * 3_600_000L);
                for (var s = 0; s < count; s++)
                {
                    var (products, landing) = bot ? BotProducts(rng) : HumanProducts(rng);
                    yield return new PlantedSession(index++, day, key, at, bot, landing, products, rng.Next());
                    // The next session of this visitor-day starts 45 minutes to 4 hours after this one ended.
                    at += products.Count * 120_000L + 600_000L + rng.NextInt64(45 * 60_000L, 4 * 3_600_000L);
                }
            }
        }
    }

    private (List<string>, string?) HumanProducts(Random rng)
    {
        var list = new List<int>();
        if (rng.NextDouble() < _o.BundleShare)
        {
            var bundle = _bundles[Sample(rng, _bundleWeights)];
            var shuffled = bundle.ToArray();
            rng.Shuffle(shuffled);
            list.AddRange(shuffled.Take(rng.Next(2, bundle.Length + 1)));
            for (var n = rng.Next(0, 3); n > 0; n--) list.Insert(rng.Next(list.Count + 1), Sample(rng, _productWeights));
        }
        else
        {
            var first = Sample(rng, _productWeights);
            list.Add(first);
            for (var n = rng.Next(0, 4); n > 0; n--)
            {
                var same = _byCategory[_categoryOf[first]];
                list.Add(rng.NextDouble() < 0.7 ? same[Math.Min(same.Length - 1, (int)(same.Length * Math.Pow(rng.NextDouble(), 2)))] : Sample(rng, _productWeights));
            }
        }

        var landing = rng.NextDouble() < 0.4 ? _categoryOf[list[0]] : null;
        return (list.Select(p => _products[p]).ToList(), landing);
    }

    private (List<string>, string?) BotProducts(Random rng) =>
        (Enumerable.Range(0, rng.Next(3, 15)).Select(_ => _products[rng.Next(_products.Length)]).ToList(), null);

    /// <summary>The events of <paramref name="session"/>, as the anonymizer stores them.</summary>
    public IEnumerable<AnonymizedEvent> Events(PlantedSession session) => Events(session, session.Products);

    /// <summary>The events of <paramref name="session"/> with <paramref name="products"/> viewed instead of its own.</summary>
    public IEnumerable<AnonymizedEvent> Events(PlantedSession session, IReadOnlyList<string> products)
    {
        var rng = new Random(session.Seed);
        var ts = session.StartMs;
        if (_o.LayoutEvents && session.LandingCategory is { } category)
        {
            var path = "/c/" + category;
            yield return Event(session, EventTypes.PageView, ts, path);
            var grid = _byCategory[category];
            for (var slot = 1; slot <= Math.Min(GridSlots, grid.Length); slot++)
            {
                var id = _products[grid[slot - 1]];
                yield return Event(session, EventTypes.ListImpression, ts + slot * 100, path) with { ProductId = id, ListName = GridList, ListPosition = (ushort)slot };
                if (rng.NextDouble() < 0.2 / Math.Pow(slot, 0.8))
                {
                    yield return Event(session, EventTypes.ListClick, ts + 2_000 + slot, path) with { ProductId = id, ListName = GridList, ListPosition = (ushort)slot };
                }
            }

            ts += rng.Next(10_000, 90_000);
            yield return Engagement(session, ts - 500, path, rng);
        }

        foreach (var id in products)
        {
            var path = "/p/" + id;
            if (_o.LayoutEvents) yield return Event(session, EventTypes.PageView, ts, path);
            yield return Event(session, EventTypes.ProductView, ts, path) with
            {
                ProductId = id,
                ProductName = "Product " + id,
                ProductCategory = _categoryOf[_index[id]],
                ProductPrice = 19.90m,
                Currency = "EUR",
            };
            ts += rng.Next(15_000, 110_000);
            if (_o.LayoutEvents) yield return Engagement(session, ts - 500, path, rng);
        }
    }

    private AnonymizedEvent Engagement(PlantedSession s, long ts, string path, Random rng) =>
        Event(s, EventTypes.Engagement, ts, path) with { EngagedMs = (uint)rng.Next(2_000, 80_000), ScrollPercent = (byte)rng.Next(10, 101) };

    private AnonymizedEvent Event(PlantedSession s, string type, long ts, string path)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(ts).UtcDateTime;
        return new AnonymizedEvent
        {
            Site = _o.Site,
            EventId = Guid.NewGuid(),
            Type = type,
            Timestamp = time,
            // The visitor-day of the session: a late session may run past midnight UTC but keeps its day (as the key does).
            Day = s.Day,
            VisitorKey = s.VisitorKey,
            Path = path,
            Browser = "Firefox",
            Os = "Linux",
            Device = "desktop",
            Country = "DE",
            IsBot = s.IsBot,
        };
    }

    private static int Sample(Random rng, double[] weights)
    {
        var total = 0.0;
        foreach (var w in weights) total += w;
        var x = rng.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x <= 0) return i;
        }

        return weights.Length - 1;
    }
}
