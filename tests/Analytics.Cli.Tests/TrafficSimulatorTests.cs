using System.Security.Cryptography;
using System.Text;
using Analytics.Contracts;

namespace Analytics.Cli.Tests;

public sealed class TrafficSimulatorTests
{
    private static SimulatorOptions Options(int seed = 42, long events = 20_000) => new()
    {
        Seed = seed,
        TotalEvents = events,
        Visitors = 800,
        BotShare = 0.05,
        GpcShare = 0.08,
        DuplicateShare = 0.05,
        PiiShare = 0.05,
    };

    private static string Digest(IEnumerable<SimulatedRequest> requests)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var r in requests)
        {
            sha.AppendData(r.Body.Span);
            sha.AppendData(Encoding.UTF8.GetBytes(r.Visitor.ClientIp + "|" + r.Visitor.UserAgent + "|" + r.Visitor.Kind + "|" + r.ContentType));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    [Fact]
    public void Same_seed_generates_identical_requests()
    {
        var a = new TrafficSimulator(Options(seed: 7));
        var b = new TrafficSimulator(Options(seed: 7));
        Assert.Equal(Digest(a.GenerateRequests()), Digest(b.GenerateRequests()));
        // A second enumeration of the same simulator starts over.
        Assert.Equal(Digest(a.GenerateRequests()), Digest(a.GenerateRequests()));
    }

    [Fact]
    public void Different_seeds_generate_different_traffic()
    {
        Assert.NotEqual(Digest(new TrafficSimulator(Options(seed: 1)).GenerateRequests()), Digest(new TrafficSimulator(Options(seed: 2)).GenerateRequests()));
    }

    [Fact]
    public void Sends_exactly_the_requested_number_of_events_in_batches_of_1_to_10()
    {
        var requests = new TrafficSimulator(Options(events: 12_345)).GenerateRequests().ToList();
        Assert.Equal(12_345, requests.Sum(r => r.Events.Count));
        Assert.All(requests, r => Assert.InRange(r.Events.Count, 1, 10));
        Assert.All(requests, r => Assert.True(r.Body.Length < 64 * 1024));
    }

    [Fact]
    public void Catalogue_has_200_products_in_cosmetics_categories()
    {
        var catalogue = new TrafficSimulator(Options()).Catalogue;
        Assert.Equal(200, catalogue.Products.Count);
        Assert.Equal(200, catalogue.Products.Select(p => p.Slug).Distinct().Count());
        Assert.Contains(catalogue.Products, p => p.Category == "skincare/serums");
        Assert.Contains(catalogue.Products, p => p.Category.StartsWith("fragrance/", StringComparison.Ordinal));
    }

    [Fact]
    public void Product_popularity_is_Zipf_skewed()
    {
        var simulator = new TrafficSimulator(Options(events: 100_000) with { PiiShare = 0 });
        var views = simulator.GenerateRequests().SelectMany(r => r.Events).Where(e => e.Type == EventTypes.ProductView)
            .GroupBy(e => e.Product!.Id).ToDictionary(g => g.Key, g => g.Count());
        var byRank = simulator.Catalogue.Products.OrderBy(p => p.PopularityRank).Select(p => views.GetValueOrDefault(p.Id)).ToList();
        var total = byRank.Sum();
        var top20 = byRank.Take(20).Sum();
        Assert.True(top20 > 0.4 * total, $"top 20 of 200 products got {100.0 * top20 / total:0}% of views");
        Assert.True(byRank[0] > 10 * Math.Max(1, byRank[99]), $"rank 1: {byRank[0]}, rank 100: {byRank[99]}");
    }

    [Fact]
    public void Truth_excludes_bots_opt_outs_and_duplicates()
    {
        var simulator = new TrafficSimulator(Options());
        var requests = simulator.GenerateRequests().ToList();
        Assert.Contains(requests, r => r.Visitor.Kind == VisitorKind.Bot);
        Assert.Contains(requests, r => r.Visitor.Kind == VisitorKind.GlobalPrivacyControl);
        Assert.Contains(requests, r => r.Visitor.Kind == VisitorKind.DoNotTrack);
        Assert.Contains(requests, r => r.RetryOf is not null);

        var truth = simulator.ComputeTruth(requests);

        var counted = requests.Where(r => r.Visitor.Kind == VisitorKind.Human).SelectMany(r => r.Events).DistinctBy(e => e.Id).ToList();
        Assert.Equal(counted.Count, truth.CountedEvents);
        Assert.Equal(counted.Count(e => e.Type == EventTypes.PageView), truth.PageViews);
        Assert.Equal(counted.Count(e => e.Type == EventTypes.ProductView), truth.ProductViews);
        Assert.Equal(truth.PageViews, truth.Pages.Values.Sum(p => p.Views) + truth.PiiPathPageViews);
        Assert.Equal(truth.ProductViews, truth.Products.Values.Sum(p => p.Views));
        Assert.True(truth.PiiPathPageViews > 0);
        Assert.Equal(requests.Where(r => r.RetryOf is not null).Sum(r => r.Events.Count), truth.DuplicateEventsSent);
        Assert.Equal(requests.Sum(r => r.Events.Count), truth.EventsSent);
        Assert.Equal(requests.Where(r => r.Visitor.Kind == VisitorKind.Human).Select(r => r.Visitor.Index).Distinct().Count(), truth.Visitors);
        Assert.True(truth.CountedEvents < truth.EventsSent - truth.BotEventsSent - truth.OptOutEventsSent + 1);
    }

    [Fact]
    public void Duplicates_repeat_the_original_body_and_ids()
    {
        var requests = new TrafficSimulator(Options()).GenerateRequests().ToList();
        var bySequence = requests.ToDictionary(r => r.Sequence);
        Assert.All(requests.Where(r => r.RetryOf is not null), retry =>
        {
            var original = bySequence[retry.RetryOf!.Value];
            Assert.True(original.Body.Span.SequenceEqual(retry.Body.Span));
            Assert.Equal(original.Events.Select(e => e.Id), retry.Events.Select(e => e.Id));
        });
    }

    [Fact]
    public void Truth_paths_are_bare_paths_without_personal_data()
    {
        var simulator = new TrafficSimulator(Options());
        var truth = simulator.ComputeTruth(simulator.GenerateRequests());
        Assert.Contains("/", truth.Pages.Keys);
        Assert.Contains(truth.Pages.Keys, p => p.StartsWith("/c/", StringComparison.Ordinal));
        Assert.Contains(truth.Pages.Keys, p => p.StartsWith("/p/", StringComparison.Ordinal));
        Assert.Contains("/search", truth.Pages.Keys);
        Assert.All(truth.Pages.Keys, p => Assert.DoesNotContain('?', p));
        var planted = truth.Canaries.Where(c => c.Where != "header").Select(c => c.Value).ToList();
        Assert.All(truth.Pages.Keys, p => Assert.DoesNotContain(planted, v => p.Contains(v, StringComparison.Ordinal)));
    }

    [Fact]
    public void Canaries_of_every_kind_are_planted_in_the_payloads()
    {
        var simulator = new TrafficSimulator(Options());
        var requests = simulator.GenerateRequests().ToList();
        var all = requests.SelectMany(r => r.Canaries).ToList();
        foreach (var kind in new[] { "email", "phone", "ipv4", "ipv6", "uuid", "hex_token", "jwt" }) Assert.Contains(all, c => c.Kind == kind);
        foreach (var where in new[] { "query", "title", "referrer", "path" }) Assert.Contains(all, c => c.Where == where);
        Assert.All(requests, r =>
        {
            var body = Encoding.UTF8.GetString(r.Body.Span);
            Assert.All(r.Canaries, c => Assert.Contains(c.Value, body, StringComparison.Ordinal));
        });

        var truth = simulator.ComputeTruth(requests);
        Assert.Superset(all.Select(c => c.Value).ToHashSet(), truth.Canaries.Select(c => c.Value).ToHashSet());
        Assert.Contains(truth.Canaries, c => c.Kind == "client_ip");
        Assert.Contains(truth.Canaries, c => c.Kind == "user_agent");
    }

    [Fact]
    public void Visitors_have_distinct_addresses_and_user_agents()
    {
        var visitors = new TrafficSimulator(Options() with { Visitors = 3_000 }).Visitors;
        Assert.Equal(visitors.Count, visitors.Select(v => v.ClientIp).Distinct().Count());
        Assert.Equal(visitors.Count, visitors.Select(v => v.UserAgent).Distinct().Count());
        Assert.Contains(visitors, v => v.Kind == VisitorKind.Bot && v.UserAgent.Contains("Googlebot", StringComparison.Ordinal));
        Assert.Contains(visitors, v => v.ClientIp.Contains(':', StringComparison.Ordinal));
    }

    [Fact]
    public void Forever_mode_keeps_generating()
    {
        var requests = new TrafficSimulator(Options() with { TotalEvents = null, RatePerSecond = 20 }).GenerateRequests().Take(5_000).ToList();
        Assert.Equal(5_000, requests.Count);
        // At 20 events/s client timestamps advance 50 ms per event.
        var ts = requests.SelectMany(r => r.Events).Select(e => e.TimestampMs).ToList();
        Assert.True(ts[^1] - ts[0] > 50L * 10_000);
    }

    [Fact]
    public async Task Truth_round_trips_as_snake_case_json()
    {
        var simulator = new TrafficSimulator(Options(events: 2_000));
        var truth = simulator.ComputeTruth(simulator.GenerateRequests());
        var file = Path.Combine(Path.GetTempPath(), $"truth-{Guid.NewGuid():N}.json");
        try
        {
            await truth.SaveAsync(file, TestContext.Current.CancellationToken);
            var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.Contains("\"counted_events\"", text, StringComparison.Ordinal);
            Assert.Contains("\"pii_path_page_views\"", text, StringComparison.Ordinal);
            var back = await GroundTruth.LoadAsync(file, TestContext.Current.CancellationToken);
            Assert.Equal(truth.CountedEvents, back.CountedEvents);
            Assert.Equal(truth.Pages.Count, back.Pages.Count);
            Assert.Equal(truth.Canaries.Count, back.Canaries.Count);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
