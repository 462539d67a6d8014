using System.Globalization;
using Analytics.Contracts;

namespace Analytics.Cli;

/// <summary>
/// Deterministic generator of shop traffic: visitors (humans, bots, GPC/DNT browsers), sessions that land from search,
/// social, newsletter or direct, browse categories and view Zipf-popular products, sent as beacon batches of 1–10
/// events; some batches are re-sent as retries, and some events carry planted personal data (canaries).
/// Generation is pure (no I/O, no clock); <see cref="TrafficRunner"/> sends what it yields.
/// </summary>
public sealed class TrafficSimulator
{
    public const string TextPlain = "text/plain;charset=UTF-8";
    public const string ApplicationJson = "application/json";
    private const string Brand = " | Bloom & Glow";

    private static readonly string[] Screens = ["1920x1080", "1366x768", "1536x864", "2560x1440", "1440x900", "1280x720"];
    private static readonly string[] MobileScreens = ["390x844", "393x873", "412x915", "375x667", "360x800", "430x932", "820x1180"];
    private static readonly string[] Langs = ["de-DE", "de-DE", "de-DE", "en-US", "en-GB", "fr-FR", "nl-NL", "it-IT", "es-ES", "pl-PL", "de-AT", "de-CH"];
    private static readonly string[] Campaigns = ["spring-glow", "black-friday", "new-in-skincare", "fragrance-week", "loyalty-10"];
    private static readonly string[] SearchTerms = ["serum", "vitamin+c", "spf+50", "red+lipstick", "dry+shampoo", "vanilla+perfume", "hand+cream", "retinol", "mascara"];

    private readonly Lazy<(Catalogue Catalogue, IReadOnlyList<SimulatedVisitor> Visitors)> _world;

    public TrafficSimulator(SimulatorOptions options)
    {
        options.Validate();
        Options = options;
        _world = new(BuildWorld);
    }

    public SimulatorOptions Options { get; }

    /// <summary>The shop's products (same seed, same catalogue).</summary>
    public Catalogue Catalogue => _world.Value.Catalogue;

    /// <summary>The visitor population.</summary>
    public IReadOnlyList<SimulatedVisitor> Visitors => _world.Value.Visitors;

    /// <summary>
    /// Identifying values of the population that must never be stored in clear: every visitor's IP and User-Agent.
    /// Canaries planted in events travel on each <see cref="SimulatedRequest.Canaries"/>.
    /// </summary>
    public IEnumerable<Canary> VisitorCanaries() => Visitors.SelectMany(v => new[]
    {
        new Canary("client_ip", v.ClientIp, "header"),
        new Canary("user_agent", v.UserAgent, "header"),
    });

    /// <summary>
    /// The requests of the run, lazily, in order; finite when <see cref="SimulatorOptions.TotalEvents"/> is set.
    /// Every enumeration starts over and yields the same requests.
    /// </summary>
    public IEnumerable<SimulatedRequest> GenerateRequests()
    {
        var world = _world.Value;
        var rng = new Random(unchecked(Options.Seed * 7919 + 17));
        var canaries = new CanaryFactory(rng);
        var stepMs = Options.RatePerSecond > 0 ? 1000.0 / Options.RatePerSecond : 0.0;
        long generated = 0, sent = 0, sequence = 0;
        var total = Options.TotalEvents ?? long.MaxValue;

        while (sent < total)
        {
            var visitor = world.Visitors[rng.Next(world.Visitors.Count)];
            var session = visitor.Kind == VisitorKind.Bot ? BotSession(rng) : HumanSession(rng);
            var events = new List<SimulatedEvent>(session.Count + 1);
            var planted = new List<(int EventIndex, Canary Canary)>();
            foreach (var page in session)
            {
                var ts = Options.StartTimestampMs + (long)(generated * stepMs);
                var p = page;
                if (rng.NextDouble() < Options.PiiShare) p = Plant(rng, canaries, p, c => planted.Add((events.Count, c)));
                var isProduct = p.Product is not null;
                if (!isProduct || Options.ProductPagesSendPageView)
                {
                    events.Add(new SimulatedEvent(CanaryFactory.NewGuid(rng), EventTypes.PageView, ts, p.Url, p.Referrer, p.Title, null)
                    { Path = p.Path, PathHasPii = p.PathHasPii });
                    generated++;
                }
                if (isProduct)
                {
                    events.Add(new SimulatedEvent(CanaryFactory.NewGuid(rng), EventTypes.ProductView, ts, p.Url, p.Referrer, p.Title, p.Product)
                    { Path = p.Path, PathHasPii = p.PathHasPii });
                    generated++;
                }
            }

            var offset = 0;
            while (offset < events.Count && sent < total)
            {
                var size = (int)Math.Min(Math.Min(rng.Next(1, 11), events.Count - offset), total - sent);
                var batch = events.GetRange(offset, size);
                var batchCanaries = planted.Where(x => x.EventIndex >= offset && x.EventIndex < offset + size).Select(x => x.Canary).ToArray();
                offset += size;
                var request = new SimulatedRequest
                {
                    Sequence = sequence++,
                    Visitor = visitor,
                    ContentType = rng.NextDouble() < 0.85 ? TextPlain : ApplicationJson,
                    Body = BeaconBody.Write(Options.Site, visitor, batch),
                    Events = batch,
                    Canaries = batchCanaries,
                };
                yield return request;
                sent += size;
                if (sent + size <= total && rng.NextDouble() < Options.DuplicateShare)
                {
                    yield return request with { Sequence = sequence++, RetryOf = request.Sequence };
                    sent += size;
                }
            }
        }
    }

    /// <summary>The truth of a run in which every request of <paramref name="requests"/> was answered 202 with nothing rejected.</summary>
    public GroundTruth ComputeTruth(IEnumerable<SimulatedRequest> requests)
    {
        var builder = new GroundTruthBuilder(this);
        foreach (var r in requests) builder.RecordAccepted(r, r.Visitor.Kind is VisitorKind.GlobalPrivacyControl or VisitorKind.DoNotTrack ? 0 : r.Events.Count, []);
        return builder.Build();
    }

    private (Catalogue, IReadOnlyList<SimulatedVisitor>) BuildWorld()
    {
        var rng = new Random(Options.Seed);
        var catalogue = Catalogue.Create(rng, Options.CatalogueSize, Options.ZipfExponent);
        var canaries = new CanaryFactory(rng);
        var ips = new HashSet<string>(StringComparer.Ordinal);
        var agents = new HashSet<string>(StringComparer.Ordinal);
        var visitors = new List<SimulatedVisitor>(Options.Visitors);
        for (var i = 0; i < Options.Visitors; i++)
        {
            var x = rng.NextDouble();
            var kind = x < Options.BotShare ? VisitorKind.Bot
                : x < Options.BotShare + Options.GpcShare ? (rng.Next(4) == 0 ? VisitorKind.DoNotTrack : VisitorKind.GlobalPrivacyControl)
                : VisitorKind.Human;
            var mobile = kind != VisitorKind.Bot && rng.NextDouble() < 0.6;
            string ip;
            do ip = rng.NextDouble() < 0.85 ? canaries.IPv4() : canaries.IPv6(); while (!ips.Add(ip));
            string ua = "";
            for (var attempt = 0; attempt < 100; attempt++)
            {
                ua = kind == VisitorKind.Bot ? UserAgents.Bot(rng) : UserAgents.Human(rng, mobile);
                if (agents.Add(ua)) break;
            }
            var screen = kind == VisitorKind.Bot ? "" : mobile ? MobileScreens[rng.Next(MobileScreens.Length)] : Screens[rng.Next(Screens.Length)];
            var lang = kind == VisitorKind.Bot ? "" : Langs[rng.Next(Langs.Length)];
            visitors.Add(new SimulatedVisitor(i, ip, ua, kind, mobile, screen, lang));
        }
        return (catalogue, visitors);
    }

    private sealed record Page(string Url, string Path, string Referrer, string Title, ProductInfo? Product, bool PathHasPii = false);

    private string Url(string pathAndQuery) => Options.ShopOrigin + pathAndQuery;

    private Page Home(string referrer) => new(Url("/"), "/", referrer, "Bloom & Glow - natural cosmetics", null);

    private Page Category(string category, string referrer, string query = "") =>
        new(Url(Catalogue.CategoryPath(category) + query), Catalogue.CategoryPath(category), referrer, Catalogue.CategoryTitle(category) + Brand, null);

    private static Page ProductPage(CatalogueProduct product, string url, string referrer) =>
        new(url, product.Path, referrer, product.Name + Brand, product.ToProductInfo());

    private List<Page> HumanSession(Random rng)
    {
        var catalogue = Catalogue;
        var pages = new List<Page>();
        var categories = new List<string>();
        string referrer, query = "";
        var source = rng.NextDouble();
        double productLanding, categoryLanding;
        switch (source)
        {
            case < 0.35:
                referrer = "https://www.google.com/"; productLanding = 0.4; categoryLanding = 0.35;
                break;
            case < 0.50:
                referrer = rng.Next(2) == 0 ? "https://l.instagram.com/" : "https://www.instagram.com/";
                if (rng.Next(2) == 0) query = "?utm_source=instagram&utm_medium=social&utm_campaign=" + Campaigns[rng.Next(Campaigns.Length)];
                productLanding = 0.6; categoryLanding = 0.25;
                break;
            case < 0.62:
                referrer = "";
                query = "?utm_source=newsletter&utm_medium=email&utm_campaign=" + Campaigns[rng.Next(Campaigns.Length)];
                productLanding = 0.45; categoryLanding = 0.4;
                break;
            case < 0.92:
                referrer = ""; productLanding = 0.1; categoryLanding = 0.2;
                break;
            default:
                referrer = new[] { "https://www.bing.com/", "https://www.pinterest.com/", "https://www.ecosia.org/", "https://duckduckgo.com/" }[rng.Next(4)];
                productLanding = 0.35; categoryLanding = 0.35;
                break;
        }

        var landing = rng.NextDouble();
        if (landing < productLanding)
        {
            var product = catalogue.SampleProduct(rng);
            pages.Add(ProductPage(product, Url(product.Path + query), referrer));
            categories.Add(product.Category);
        }
        else if (landing < productLanding + categoryLanding)
        {
            var category = catalogue.SampleCategory(rng);
            pages.Add(Category(category, referrer, query));
            categories.Add(category);
        }
        else
        {
            pages.Add(new Page(Url("/" + query), "/", referrer, "Bloom & Glow - natural cosmetics", null));
        }

        var browse = rng.Next(1, 4);
        while (categories.Count < browse)
        {
            var c = catalogue.SampleCategory(rng);
            if (!categories.Contains(c)) categories.Add(c);
            else if (rng.Next(3) == 0) break;
        }

        foreach (var category in categories)
        {
            if (pages.Count >= 24) break;
            var last = pages[^1];
            if (last.Path != Catalogue.CategoryPath(category)) pages.Add(Category(category, last.Url));
            var views = rng.Next(0, 5);
            for (var i = 0; i < views && pages.Count < 24; i++)
            {
                var product = rng.NextDouble() < 0.85 ? catalogue.SampleProduct(rng, category) : catalogue.SampleProduct(rng);
                pages.Add(ProductPage(product, Url(product.Path), pages[^1].Url));
            }
            if (rng.NextDouble() < 0.15)
            {
                var term = SearchTerms[rng.Next(SearchTerms.Length)];
                pages.Add(new Page(Url("/search?q=" + term), "/search", pages[^1].Url, "Search: " + term.Replace('+', ' ') + Brand, null));
                var product = catalogue.SampleProduct(rng);
                pages.Add(ProductPage(product, Url(product.Path), pages[^1].Url));
            }
            if (rng.NextDouble() < 0.10) pages.Add(Home(pages[^1].Url));
        }
        return pages;
    }

    private List<Page> BotSession(Random rng)
    {
        // Crawlers walk the site evenly, not by popularity, and send no referrer.
        var pages = new List<Page> { Home("") };
        var count = rng.Next(4, 20);
        for (var i = 0; i < count; i++)
        {
            if (rng.Next(3) == 0)
            {
                pages.Add(Category(Catalogue.CategoryKeys[rng.Next(Catalogue.CategoryKeys.Count)], ""));
            }
            else
            {
                var product = Catalogue.Products[rng.Next(Catalogue.Products.Count)];
                pages.Add(ProductPage(product, Url(product.Path), ""));
            }
        }
        return pages;
    }

    private Page Plant(Random rng, CanaryFactory f, Page page, Action<Canary> planted)
    {
        Canary C(string kind, string value, string where)
        {
            var c = new Canary(kind, value, where);
            planted(c);
            return c;
        }
        var where = rng.NextDouble();
        if (where < 0.4)
        {
            var q = rng.Next(6) switch
            {
                0 => $"email={C("email", f.Email(), "query").Value}&token={C("hex_token", f.HexToken(), "query").Value}",
                1 => "phone=" + C("phone", f.PhoneDigits(), "query").Value,
                2 => "ip=" + C("ipv4", f.IPv4(), "query").Value,
                3 => "client=" + C("ipv6", f.IPv6(), "query").Value,
                4 => "session=" + C("jwt", f.Jwt(), "query").Value,
                _ => "uid=" + C("uuid", f.Uuid(), "query").Value,
            };
            return page with { Url = page.Url + (page.Url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + q };
        }
        if (where < 0.6)
        {
            var title = rng.Next(3) switch
            {
                0 => "Order for " + C("email", f.Email(), "title").Value + Brand,
                1 => "Call back " + C("phone", f.PhoneFormatted(), "title").Value + Brand,
                _ => "Welcome back " + C("email", f.Email(), "title").Value + " - " + page.Title,
            };
            return page with { Title = title };
        }
        if (where < 0.8)
        {
            var referrer = rng.Next(3) switch
            {
                0 => "https://mail.example/?to=" + C("email", f.Email(), "referrer").Value,
                1 => $"https://webmail.example/inbox?id={C("uuid", f.Uuid(), "referrer").Value}&ip={C("ipv4", f.IPv4(), "referrer").Value}",
                _ => "https://crm.example/reset?token=" + C("jwt", f.Jwt(), "referrer").Value,
            };
            return page with { Referrer = referrer };
        }
        // Personal data in the path itself: account pages, a page_view whose stored path must become a placeholder form.
        var path = rng.Next(5) switch
        {
            0 => $"/account/{C("email", f.Email(), "path").Value}/orders",
            1 => $"/orders/{C("uuid", f.Uuid(), "path").Value}/confirmation",
            2 => $"/reset-password/{C("hex_token", f.HexToken(), "path").Value}",
            3 => $"/track/{C("phone", f.PhoneDigits(), "path").Value}",
            _ => $"/session/{C("jwt", f.Jwt(), "path").Value}/resume",
        };
        return new Page(Url(path), path, page.Referrer, "My account" + Brand, null, PathHasPii: true);
    }
}
