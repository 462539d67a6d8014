namespace Analytics.Cli;

/// <summary>Settings of one simulated traffic run. Generation is a pure function of these values.</summary>
public sealed record SimulatorOptions
{
    /// <summary>Seed of every random choice: the same options give byte-identical requests.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Events to send, duplicates included; null sends forever.</summary>
    public long? TotalEvents { get; init; } = 10_000;

    /// <summary>Events per second; 0 sends as fast as the collector answers.</summary>
    public double RatePerSecond { get; init; }

    /// <summary>Site id put into every batch.</summary>
    public string Site { get; init; } = "demo";

    /// <summary>Collector base address (<c>http://host:port</c>) or the events endpoint itself.</summary>
    public Uri BaseUrl { get; init; } = new("http://127.0.0.1:8080");

    /// <summary>Requests in flight at once.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Size of the visitor population (humans and bots); each has its own IP and User-Agent.</summary>
    public int Visitors { get; init; } = 2_000;

    /// <summary>Share of visitors that are crawlers (stored by the pipeline, excluded from stats and truth).</summary>
    public double BotShare { get; init; } = 0.03;

    /// <summary>Share of visitors sending <c>Sec-GPC: 1</c> or <c>DNT: 1</c> (dropped by the collector, excluded from truth).</summary>
    public double GpcShare { get; init; } = 0.05;

    /// <summary>Share of requests sent a second time with the same event ids (beacon retries; counted once).</summary>
    public double DuplicateShare { get; init; } = 0.02;

    /// <summary>Share of events carrying planted personal data (canaries) in URL, title, referrer or path.</summary>
    public double PiiShare { get; init; } = 0.02;

    /// <summary>Origin of the simulated shop; URLs are built under it.</summary>
    public string ShopOrigin { get; init; } = "https://demo.example";

    /// <summary>Client timestamp (Unix ms) of the first event; later events advance by 1000/rate ms each.</summary>
    public long StartTimestampMs { get; init; } = 1_764_150_000_000;

    /// <summary>Products in the generated catalogue.</summary>
    public int CatalogueSize { get; init; } = 200;

    /// <summary>Zipf exponent of product popularity.</summary>
    public double ZipfExponent { get; init; } = 1.1;

    /// <summary>Whether a product page sends a <c>page_view</c> besides its <c>product_view</c>, as the beacon's auto page tracking does.</summary>
    public bool ProductPagesSendPageView { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Share(double v, string name)
        {
            if (v is < 0 or > 1 || double.IsNaN(v)) throw new ArgumentException($"{name} must be between 0 and 1.", name);
        }
        if (TotalEvents is <= 0) throw new ArgumentException("TotalEvents must be positive.", nameof(TotalEvents));
        if (RatePerSecond < 0 || double.IsNaN(RatePerSecond)) throw new ArgumentException("RatePerSecond must be >= 0.", nameof(RatePerSecond));
        if (Concurrency is < 1 or > 4096) throw new ArgumentException("Concurrency must be between 1 and 4096.", nameof(Concurrency));
        if (Visitors < 1) throw new ArgumentException("Visitors must be positive.", nameof(Visitors));
        if (CatalogueSize is < 10 or > 100_000) throw new ArgumentException("CatalogueSize must be between 10 and 100000.", nameof(CatalogueSize));
        if (string.IsNullOrWhiteSpace(Site)) throw new ArgumentException("Site must be set.", nameof(Site));
        Share(BotShare, nameof(BotShare));
        Share(GpcShare, nameof(GpcShare));
        Share(DuplicateShare, nameof(DuplicateShare));
        Share(PiiShare, nameof(PiiShare));
        if (BotShare + GpcShare > 1) throw new ArgumentException("BotShare + GpcShare must not exceed 1.", nameof(GpcShare));
    }
}
