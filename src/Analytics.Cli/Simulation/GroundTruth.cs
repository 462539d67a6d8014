using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Contracts;

namespace Analytics.Cli;

/// <summary>Views and distinct visitors of one path or product, as the stats API should report them (before k-suppression).</summary>
public sealed record ViewCount(long Views, int Visitors);

/// <summary>Views of one product, with the catalogue's name and category.</summary>
public sealed record ProductCount(string Name, string Category, long Views, int Visitors);

/// <summary>
/// What the pipeline must report after a simulated run: only events that must be counted (not bots, no GPC/DNT,
/// each event id once, not rejected by the collector). Per-path counts hold only paths without planted personal
/// data (those are stored as a placeholder form and counted in <see cref="PiiPathPageViews"/>); paths are keyed
/// without query string, as the stats API reports them. Stats hide rows under k visitors: compare only rows with
/// <see cref="ViewCount.Visitors"/> ≥ k.
/// </summary>
public sealed record GroundTruth
{
    public required string Site { get; init; }
    public required int Seed { get; init; }
    /// <summary>First and last UTC day of the counted events' client timestamps.</summary>
    public DateOnly? FirstDay { get; init; }
    public DateOnly? LastDay { get; init; }

    /// <summary>Requests that got a final answer (a 503 answered request is retried, not counted).</summary>
    public long RequestsSent { get; init; }
    /// <summary>Events in those requests, duplicates, bots and GPC/DNT included.</summary>
    public long EventsSent { get; init; }
    /// <summary>Sum of the collector's <c>accepted</c> answers (GPC/DNT requests answer 0, bots are accepted).</summary>
    public long EventsAccepted { get; init; }
    /// <summary>Events the collector rejected individually or with their whole batch.</summary>
    public long EventsRejected { get; init; }
    /// <summary>Events sent a second time with the same id (retry duplicates).</summary>
    public long DuplicateEventsSent { get; init; }
    public long BotEventsSent { get; init; }
    /// <summary>Events sent with Sec-GPC: 1 or DNT: 1.</summary>
    public long OptOutEventsSent { get; init; }

    /// <summary>Events that must show in stats: <see cref="PageViews"/> + <see cref="ProductViews"/>.</summary>
    public long CountedEvents { get; init; }
    /// <summary>Counted page views, paths with personal data included.</summary>
    public long PageViews { get; init; }
    /// <summary>Counted product views.</summary>
    public long ProductViews { get; init; }
    /// <summary>Counted page views whose path carried personal data (not in <see cref="Pages"/>).</summary>
    public long PiiPathPageViews { get; init; }
    /// <summary>Distinct counted visitors (distinct IP + User-Agent; the pipeline's key is per day, so compare within one day).</summary>
    public int Visitors { get; init; }
    /// <summary>Whether product pages also sent a page_view (then product paths are in <see cref="Pages"/>).</summary>
    public bool ProductPagesSendPageView { get; init; }

    /// <summary>Page views by path (path only, no query string), paths without personal data only.</summary>
    public IReadOnlyDictionary<string, ViewCount> Pages { get; init; } = new Dictionary<string, ViewCount>();
    /// <summary>Product views by product id.</summary>
    public IReadOnlyDictionary<string, ProductCount> Products { get; init; } = new Dictionary<string, ProductCount>();
    /// <summary>Every planted value that must never reach storage in clear: event canaries, visitor IPs and User-Agents.</summary>
    public IReadOnlyList<Canary> Canaries { get; init; } = [];

    /// <summary>Writes the truth as indented snake_case JSON.</summary>
    public async Task SaveAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var stream = File.Create(full);
        await JsonSerializer.SerializeAsync(stream, this, GroundTruthJsonContext.Default.GroundTruth, cancellationToken);
    }

    public static async Task<GroundTruth> LoadAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync(stream, GroundTruthJsonContext.Default.GroundTruth, cancellationToken)
            ?? throw new InvalidDataException("Empty ground truth file.");
    }
}

/// <summary>Accumulates a <see cref="GroundTruth"/> from the answers a run got. Thread-safe.</summary>
public sealed class GroundTruthBuilder
{
    private readonly Lock _gate = new();
    private readonly TrafficSimulator _simulator;
    private readonly HashSet<Guid> _counted = [];
    private readonly HashSet<int> _visitors = [];
    private readonly HashSet<int> _sentBy = [];
    private readonly Dictionary<string, (long Views, HashSet<int> Visitors)> _pages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ProductInfo Info, long Views, HashSet<int> Visitors)> _products = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), Canary> _canaries = [];
    private long _requests, _sent, _accepted, _rejected, _duplicates, _bots, _optOut, _pageViews, _productViews, _piiPathViews;
    private long? _minTs, _maxTs;

    public GroundTruthBuilder(TrafficSimulator simulator) => _simulator = simulator;

    /// <summary>Records a 202 answer: <paramref name="accepted"/> as reported, <paramref name="rejectedIndexes"/> refused.</summary>
    public void RecordAccepted(SimulatedRequest request, int accepted, IReadOnlyCollection<int> rejectedIndexes)
    {
        lock (_gate)
        {
            Sent(request);
            _accepted += accepted;
            _rejected += rejectedIndexes.Count;
            if (!request.Visitor.Counted) return;
            for (var i = 0; i < request.Events.Count; i++)
            {
                var e = request.Events[i];
                if (rejectedIndexes.Contains(i) || !_counted.Add(e.Id)) continue;
                var visitor = request.Visitor.Index;
                _visitors.Add(visitor);
                _minTs = Math.Min(_minTs ?? long.MaxValue, e.TimestampMs);
                _maxTs = Math.Max(_maxTs ?? long.MinValue, e.TimestampMs);
                if (e.Type == EventTypes.PageView)
                {
                    _pageViews++;
                    if (e.PathHasPii) { _piiPathViews++; continue; }
                    if (!_pages.TryGetValue(e.Path, out var p)) p = (0, []);
                    p.Visitors.Add(visitor);
                    _pages[e.Path] = (p.Views + 1, p.Visitors);
                }
                else if (e.Product is { } info)
                {
                    _productViews++;
                    if (!_products.TryGetValue(info.Id, out var p)) p = (info, 0, []);
                    p.Visitors.Add(visitor);
                    _products[info.Id] = (p.Info, p.Views + 1, p.Visitors);
                }
            }
        }
    }

    /// <summary>Records a request that got a final answer other than 202 (a 4xx): nothing of it counts.</summary>
    public void RecordFailed(SimulatedRequest request)
    {
        lock (_gate)
        {
            Sent(request);
            _rejected += request.Events.Count;
        }
    }

    private void Sent(SimulatedRequest request)
    {
        _requests++;
        _sent += request.Events.Count;
        if (request.RetryOf is not null) _duplicates += request.Events.Count;
        switch (request.Visitor.Kind)
        {
            case VisitorKind.Bot: _bots += request.Events.Count; break;
            case VisitorKind.GlobalPrivacyControl or VisitorKind.DoNotTrack: _optOut += request.Events.Count; break;
        }
        foreach (var c in request.Canaries) _canaries.TryAdd((c.Kind, c.Value), c);
        if (_sentBy.Add(request.Visitor.Index))
        {
            _canaries.TryAdd(("client_ip", request.Visitor.ClientIp), new Canary("client_ip", request.Visitor.ClientIp, "header"));
            _canaries.TryAdd(("user_agent", request.Visitor.UserAgent), new Canary("user_agent", request.Visitor.UserAgent, "header"));
        }
    }

    public GroundTruth Build()
    {
        lock (_gate)
        {
            static DateOnly? Day(long? ms) => ms is { } v ? DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(v).UtcDateTime) : null;
            return new GroundTruth
            {
                Site = _simulator.Options.Site,
                Seed = _simulator.Options.Seed,
                FirstDay = Day(_minTs),
                LastDay = Day(_maxTs),
                RequestsSent = _requests,
                EventsSent = _sent,
                EventsAccepted = _accepted,
                EventsRejected = _rejected,
                DuplicateEventsSent = _duplicates,
                BotEventsSent = _bots,
                OptOutEventsSent = _optOut,
                CountedEvents = _pageViews + _productViews,
                PageViews = _pageViews,
                ProductViews = _productViews,
                PiiPathPageViews = _piiPathViews,
                Visitors = _visitors.Count,
                ProductPagesSendPageView = _simulator.Options.ProductPagesSendPageView,
                Pages = new SortedDictionary<string, ViewCount>(
                    _pages.ToDictionary(p => p.Key, p => new ViewCount(p.Value.Views, p.Value.Visitors.Count)), StringComparer.Ordinal),
                Products = new SortedDictionary<string, ProductCount>(
                    _products.ToDictionary(p => p.Key, p => new ProductCount(p.Value.Info.Name ?? "", p.Value.Info.Category ?? "", p.Value.Views, p.Value.Visitors.Count)),
                    StringComparer.Ordinal),
                Canaries = _canaries.Values.OrderBy(c => c.Kind, StringComparer.Ordinal).ThenBy(c => c.Value, StringComparer.Ordinal).ToList(),
            };
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(GroundTruth))]
internal sealed partial class GroundTruthJsonContext : JsonSerializerContext;
