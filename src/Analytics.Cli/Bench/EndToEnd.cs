using System.Collections.Concurrent;
using System.Diagnostics;
using Analytics.Contracts;

namespace Analytics.Cli.Bench;

/// <summary>POST→visible delays of probe paths.</summary>
public sealed record ProbeResult(int Probes, int Visible, double MedianMs, double P99Ms, double MaxMs, TimeSpan PollInterval);

/// <summary>A large simulated load timed from the first POST until the stats reflect all of it.</summary>
public sealed record ThroughputResult(long CountedEvents, TimeSpan SendTime, TimeSpan? VisibleAfter, long Reached)
{
    public double IngestEventsPerSecond => CountedEvents / SendTime.TotalSeconds;
    public double? EndToEndEventsPerSecond => VisibleAfter is { } t ? CountedEvents / t.TotalSeconds : null;
}

/// <summary>The end-to-end part of <c>bench</c>: collector → pipeline → store → stats API.</summary>
public sealed class EndToEnd(Uri endpoint, StatsClient stats, string site, int concurrency, TimeSpan timeout)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private static (DateOnly From, DateOnly To) Days()
    {
        // The site's day may be another time zone's: ask a day either side.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return (today.AddDays(-1), today.AddDays(1));
    }

    /// <summary>Waits until the stats totals stop moving for 3 s (the pipeline drained what came before); returns how long that took.</summary>
    public async Task<TimeSpan> WaitForQuietAsync(CancellationToken cancellationToken)
    {
        var (from, to) = Days();
        var started = Stopwatch.GetTimestamp();
        long last = -1;
        var stableSince = started;
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var total = await stats.TotalViewsAsync(from, to, cancellationToken);
            var now = Stopwatch.GetTimestamp();
            if (total != last) { last = total; stableSince = now; }
            else if (Stopwatch.GetElapsedTime(stableSince, now) >= TimeSpan.FromSeconds(3)) break;
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>
    /// Sends <paramref name="probes"/> page views of unique paths, each from <paramref name="visitorsPerProbe"/> distinct
    /// visitors (so k-suppression lets them through), one probe per <paramref name="spacing"/>, and measures the time from
    /// the last 202 of a probe to the poll that first shows it with all its views.
    /// </summary>
    public async Task<ProbeResult> ProbeAsync(int probes, int visitorsPerProbe, TimeSpan spacing, int seed, CancellationToken cancellationToken)
    {
        var (from, to) = Days();
        var rng = new Random(seed);
        var factory = new CanaryFactory(rng);
        var tag = Letters(rng, 6);
        using var client = CollectorHttp.CreateClient(visitorsPerProbe);
        var runner = new TrafficRunner(client, new RunnerOptions(endpoint, visitorsPerProbe, 0));
        var pending = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var delays = new ConcurrentBag<double>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var poller = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    if (!pending.IsEmpty)
                    {
                        var rows = await stats.PagesAsync(from, to, stop.Token);
                        var seen = Stopwatch.GetTimestamp();
                        foreach (var row in rows)
                        {
                            if (row.Views >= visitorsPerProbe && pending.TryRemove(row.Path, out var posted))
                            {
                                delays.Add(Stopwatch.GetElapsedTime(posted, seen).TotalMilliseconds);
                            }
                        }
                    }
                    await Task.Delay(PollInterval, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }, CancellationToken.None);

        for (var i = 0; i < probes; i++)
        {
            var path = $"/bench/probe-{tag}-{Letters(rng, 3)}{Letter(i)}";
            var sends = Enumerable.Range(0, visitorsPerProbe).Select(v =>
            {
                var visitor = new SimulatedVisitor(v, factory.IPv4(), UserAgents.Human(rng, v % 2 == 0), VisitorKind.Human, v % 2 == 0, "1920x1080", "en-US");
                var ev = new SimulatedEvent(Guid.NewGuid(), EventTypes.PageView, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                    "https://demo.example" + path, "", "Bench probe", null) { Path = path };
                var request = new SimulatedRequest
                {
                    Sequence = i * visitorsPerProbe + v,
                    Visitor = visitor,
                    ContentType = TrafficSimulator.TextPlain,
                    Body = BeaconBody.Write(site, visitor, [ev]),
                    Events = [ev],
                };
                return runner.SendAsync(request, null, cancellationToken);
            }).ToList();
            var answers = await Task.WhenAll(sends);
            if (answers.All(a => a is { Accepted: 1 })) pending[path] = Stopwatch.GetTimestamp();
            await Task.Delay(spacing, cancellationToken);
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!pending.IsEmpty && Stopwatch.GetTimestamp() < deadline) await Task.Delay(PollInterval, cancellationToken);
        await stop.CancelAsync();
        await poller;

        var sorted = delays.Order().ToArray();
        return new ProbeResult(probes, sorted.Length, LoadDriver.Percentile(sorted, 0.5), LoadDriver.Percentile(sorted, 0.99),
            sorted.Length > 0 ? sorted[^1] : double.NaN, PollInterval);
    }

    /// <summary>Sends <paramref name="events"/> simulated human events as fast as accepted, then waits until the daily totals include them all.</summary>
    public async Task<ThroughputResult> ThroughputAsync(long events, int seed, CancellationToken cancellationToken)
    {
        var (from, to) = Days();
        var baseline = await stats.TotalViewsAsync(from, to, cancellationToken);
        var simulator = new TrafficSimulator(new SimulatorOptions
        {
            Seed = seed,
            Site = site,
            TotalEvents = events,
            Visitors = 5_000,
            BotShare = 0,
            GpcShare = 0,
            DuplicateShare = 0,
            PiiShare = 0,
            StartTimestampMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        });
        var truth = new GroundTruthBuilder(simulator);
        using var client = CollectorHttp.CreateClient(concurrency);
        var runner = new TrafficRunner(client, new RunnerOptions(endpoint, concurrency, 0));
        var started = Stopwatch.GetTimestamp();
        await runner.RunAsync(simulator.GenerateRequests(), truth, cancellationToken);
        var sendTime = Stopwatch.GetElapsedTime(started);
        var expected = truth.Build().CountedEvents;

        long reached = 0;
        while (Stopwatch.GetElapsedTime(started) < sendTime + timeout)
        {
            reached = await stats.TotalViewsAsync(from, to, cancellationToken) - baseline;
            if (reached >= expected) return new ThroughputResult(expected, sendTime, Stopwatch.GetElapsedTime(started), reached);
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
        return new ThroughputResult(expected, sendTime, null, reached);
    }

    // Letters g–z only: no digit runs or hex words a path scrubber could turn into a placeholder.
    private static string Letters(Random rng, int n) => string.Concat(Enumerable.Range(0, n).Select(_ => (char)('g' + rng.Next(20))));

    private static string Letter(int i) => i < 20 ? ((char)('g' + i)).ToString() : Letter(i / 20 - 1) + (char)('g' + i % 20);
}
