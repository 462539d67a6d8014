using Analytics.Contracts;

namespace Analytics.Cli;

/// <summary>A product of the simulated shop. <see cref="PopularityRank"/> 1 is the most viewed.</summary>
public sealed record CatalogueProduct(string Id, string Name, string Category, string Slug, decimal Price, int PopularityRank, double Weight)
{
    public const string Currency = "EUR";

    /// <summary>Product page path, e.g. <c>/p/rose-face-serum</c>.</summary>
    public string Path => "/p/" + Slug;

    /// <summary>The <c>product</c> object of a <c>product_view</c> event.</summary>
    public ProductInfo ToProductInfo() => new(Id, Name, Category, Price, Currency);
}

/// <summary>A deterministic cosmetics catalogue with Zipf-distributed popularity.</summary>
public sealed class Catalogue
{
    private static readonly (string Category, string Title, string[] Nouns, decimal MinPrice, decimal MaxPrice)[] Categories =
    [
        ("skincare/serums", "Serums", ["face serum", "booster serum", "night serum", "eye serum"], 14, 79),
        ("skincare/moisturizers", "Moisturizers", ["day cream", "night cream", "gel cream", "rich cream"], 9, 65),
        ("skincare/cleansers", "Cleansers", ["cleansing gel", "cleansing balm", "micellar water", "foaming cleanser"], 6, 32),
        ("skincare/masks", "Masks", ["clay mask", "sheet mask", "sleeping mask", "peel-off mask"], 4, 38),
        ("skincare/sunscreen", "Sunscreen", ["sun fluid SPF 50", "sun cream SPF 30", "sun stick SPF 50"], 8, 36),
        ("makeup/lips", "Lips", ["lipstick", "lip gloss", "lip liner", "lip balm"], 5, 34),
        ("makeup/eyes", "Eyes", ["mascara", "eyeliner", "eyeshadow palette", "brow gel"], 6, 52),
        ("makeup/face", "Face", ["foundation", "concealer", "blush", "highlighter", "setting powder"], 8, 48),
        ("makeup/nails", "Nails", ["nail polish", "top coat", "nail oil"], 4, 18),
        ("haircare/shampoo", "Shampoo", ["shampoo", "dry shampoo", "clarifying shampoo"], 5, 28),
        ("haircare/conditioner", "Conditioner", ["conditioner", "hair mask", "leave-in conditioner"], 5, 30),
        ("haircare/styling", "Styling", ["hair oil", "styling cream", "texture spray", "heat protectant"], 7, 34),
        ("fragrance/women", "Fragrance for women", ["eau de parfum", "eau de toilette", "body mist"], 19, 129),
        ("fragrance/men", "Fragrance for men", ["eau de toilette", "eau de parfum", "aftershave balm"], 19, 119),
        ("fragrance/unisex", "Unisex fragrance", ["eau de parfum", "solid perfume", "perfume oil"], 24, 149),
        ("bodycare/lotions", "Body lotions", ["body lotion", "body butter", "hand cream"], 5, 29),
        ("bodycare/bath", "Bath & shower", ["shower gel", "bath salts", "body scrub", "bath oil"], 4, 26),
    ];

    // Names read like a shop's: actives for skin, pigments and finishes for make-up, scents for fragrance and body.
    private static readonly Dictionary<string, string[]> Ingredients = new(StringComparer.Ordinal)
    {
        ["skincare"] = ["rose", "vitamin C", "hyaluronic", "niacinamide", "retinol", "green tea", "aloe", "oat", "ceramide", "peptide",
            "bakuchiol", "squalane", "collagen", "charcoal", "cucumber", "chamomile", "centella", "snail mucin"],
        ["makeup"] = ["velvet", "matte", "satin", "glow", "nude", "ruby", "coral", "berry", "bronze", "pearl", "cocoa", "rose gold", "midnight", "peach"],
        ["haircare"] = ["argan", "coconut", "keratin", "almond", "rosemary", "biotin", "tea tree", "silk", "rice water", "avocado"],
        ["fragrance"] = ["jasmine", "vanilla", "sandalwood", "citrus", "cherry blossom", "oud", "amber", "neroli", "vetiver", "fig", "peony", "bergamot", "musk", "tonka"],
        ["bodycare"] = ["shea", "lavender", "honey", "almond", "coconut", "fig", "vanilla", "sea salt", "mango", "eucalyptus"],
    };

    private readonly Dictionary<string, WeightedSampler<CatalogueProduct>> _byCategory;
    private readonly WeightedSampler<CatalogueProduct> _all;
    private readonly WeightedSampler<string> _categories;

    private Catalogue(IReadOnlyList<CatalogueProduct> products)
    {
        Products = products;
        _all = new WeightedSampler<CatalogueProduct>(products.Select(p => (p, p.Weight)));
        _byCategory = products.GroupBy(p => p.Category)
            .ToDictionary(g => g.Key, g => new WeightedSampler<CatalogueProduct>(g.Select(p => (p, p.Weight))));
        // Category pages are visited about as often as their products are liked.
        _categories = new WeightedSampler<string>(products.GroupBy(p => p.Category).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(p => p.Weight))));
    }

    /// <summary>Products, ordered by id.</summary>
    public IReadOnlyList<CatalogueProduct> Products { get; }

    /// <summary>Category keys such as <c>skincare/serums</c>.</summary>
    public static IReadOnlyList<string> CategoryKeys { get; } = Categories.Select(c => c.Category).ToArray();

    /// <summary>Path of a category page, e.g. <c>/c/skincare/serums</c>.</summary>
    public static string CategoryPath(string category) => "/c/" + category;

    /// <summary>Human title of a category page.</summary>
    public static string CategoryTitle(string category) => Categories.First(c => c.Category == category).Title;

    /// <summary>Builds <paramref name="size"/> products from <paramref name="random"/>; same seed, same catalogue.</summary>
    public static Catalogue Create(Random random, int size, double zipfExponent)
    {
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var drafts = new List<(string Name, string Category, string Slug, decimal Price)>(size);
        while (drafts.Count < size)
        {
            var c = Categories[random.Next(Categories.Length)];
            var noun = c.Nouns[random.Next(c.Nouns.Length)];
            var words = Ingredients[c.Category[..c.Category.IndexOf('/')]];
            var ingredient = words[random.Next(words.Length)];
            var name = char.ToUpperInvariant(ingredient[0]) + ingredient[1..] + " " + noun;
            var slug = Slugify(name);
            if (!slugs.Add(slug))
            {
                // A second product of the same name is another line of the brand.
                var line = new[] { "intense", "light", "sensitive", "pro", "mini", "deluxe" }[random.Next(6)];
                name += " " + line;
                slug = Slugify(name);
                if (!slugs.Add(slug)) continue;
            }
            var cents = (int)Math.Round((double)(c.MinPrice + (c.MaxPrice - c.MinPrice) * (decimal)random.NextDouble()));
            var price = cents + (random.Next(2) == 0 ? 0.90m : 0.95m) - 1;
            drafts.Add((name, c.Category, slug, Math.Max(price, 1.90m)));
        }

        // Popularity ranks are a random permutation, so popularity is independent of category and id.
        var ranks = Enumerable.Range(1, size).ToArray();
        random.Shuffle(ranks);
        var products = drafts.Select((d, i) => new CatalogueProduct(
            Id: "SKU-" + (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Name: d.Name, Category: d.Category, Slug: d.Slug, Price: d.Price,
            PopularityRank: ranks[i], Weight: WeightedSampler<CatalogueProduct>.Zipf(ranks[i], zipfExponent))).ToList();
        return new Catalogue(products);
    }

    public CatalogueProduct SampleProduct(Random random) => _all.Sample(random);

    public CatalogueProduct SampleProduct(Random random, string category) =>
        _byCategory.TryGetValue(category, out var s) ? s.Sample(random) : _all.Sample(random);

    public string SampleCategory(Random random) => _categories.Sample(random);

    private static string Slugify(string name)
    {
        var chars = new List<char>(name.Length);
        var dash = false;
        foreach (var ch in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(ch)) { chars.Add(ch); dash = false; }
            else if (!dash && chars.Count > 0) { chars.Add('-'); dash = true; }
        }
        if (dash) chars.RemoveAt(chars.Count - 1);
        return new string(chars.ToArray());
    }
}
