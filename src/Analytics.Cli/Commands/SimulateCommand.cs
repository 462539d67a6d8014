using System.CommandLine;
using Analytics.Cli.Bench;

namespace Analytics.Cli.Commands;

/// <summary><c>analytics simulate</c>: sends simulated shop traffic to the collector and writes the ground truth.</summary>
internal static class SimulateCommand
{
    private const double ForeverDefaultRate = 20;

    public static Command Create()
    {
        var url = CliOptions.Url("http://127.0.0.1:8080", "Collector base URL (or the /v1/events endpoint itself)");
        var events = new Option<long>("--events") { Description = "Events to send, retry duplicates included", DefaultValueFactory = _ => 10_000 };
        events.Validators.Add(r => { if (r.GetValueOrDefault<long>() < 1) r.AddError("--events must be positive."); });
        var rate = new Option<double>("--rate") { Description = $"Events per second; 0 = as fast as possible (default 0, or {ForeverDefaultRate} with --forever)" };
        rate.Validators.Add(r => { if (r.GetValueOrDefault<double>() < 0) r.AddError("--rate must be >= 0."); });
        var seed = new Option<int>("--seed") { Description = "Seed of the generator: same seed, same traffic", DefaultValueFactory = _ => 42 };
        var truth = new Option<string?>("--truth") { Description = "Write the ground truth JSON to this file" };
        var concurrency = CliOptions.PositiveInt("--concurrency", 8, "Requests in flight at once", 1024);
        var forever = new Option<bool>("--forever") { Description = "Keep sending at a gentle rate until Ctrl+C (demo mode; --events is ignored)" };
        var site = new Option<string>("--site") { Description = "Site id", DefaultValueFactory = _ => "demo" };
        var visitors = CliOptions.PositiveInt("--visitors", 2_000, "Visitor population (each with its own IP and User-Agent)");
        var bots = CliOptions.Share("--bot-share", 0.03, "Share of visitors that are bots");
        var gpc = CliOptions.Share("--gpc-share", 0.05, "Share of visitors sending Sec-GPC: 1 or DNT: 1");
        var duplicates = CliOptions.Share("--duplicate-share", 0.02, "Share of batches re-sent with the same event ids");
        var pii = CliOptions.Share("--pii-share", 0.02, "Share of events carrying planted personal data (canaries)");
        var quiet = new Option<bool>("--quiet") { Description = "No progress line (the summary is still printed at the end)" };
        var waitVisible = new Option<bool>("--wait-visible") { Description = "After sending, wait until /v1/stats/timeseries shows every counted event" };
        var waitTimeout = CliOptions.Duration("--wait-timeout", "120s", "Longest wait for --wait-visible");
        var statsUrl = new Option<Uri?>("--stats-url") { Description = "Stats API origin for --wait-visible (default: the origin of --url)" };
        var apiKey = CliOptions.ApiKey();

        var command = new Command("simulate", "Send simulated cosmetics-shop traffic to the collector and write the ground truth")
        {
            url, events, rate, seed, truth, concurrency, forever, site, visitors, bots, gpc, duplicates, pii, quiet, waitVisible, waitTimeout, statsUrl, apiKey,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var isForever = parse.GetValue(forever);
            var rateGiven = parse.GetResult(rate) is { Implicit: false };
            var options = new SimulatorOptions
            {
                Seed = parse.GetValue(seed),
                TotalEvents = isForever ? null : parse.GetValue(events),
                RatePerSecond = rateGiven ? parse.GetValue(rate) : isForever ? ForeverDefaultRate : 0,
                Site = parse.GetValue(site)!,
                BaseUrl = parse.GetValue(url)!,
                Concurrency = parse.GetValue(concurrency),
                Visitors = parse.GetValue(visitors),
                BotShare = parse.GetValue(bots),
                GpcShare = parse.GetValue(gpc),
                DuplicateShare = parse.GetValue(duplicates),
                PiiShare = parse.GetValue(pii),
                StartTimestampMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            };
            var wait = parse.GetValue(waitVisible) && !isForever
                ? new VisibilityWait(parse.GetValue(statsUrl) ?? options.BaseUrl, CliOptions.ResolveApiKey(parse.GetValue(apiKey)), parse.GetValue(waitTimeout))
                : null;
            return await RunAsync(options, parse.GetValue(truth), parse.GetValue(quiet), wait, cancellationToken);
        });
        return command;
    }

    /// <summary>Where and how long <c>--wait-visible</c> polls the stats API.</summary>
    internal sealed record VisibilityWait(Uri StatsUrl, string? ApiKey, TimeSpan Timeout);

    public static async Task<int> RunAsync(SimulatorOptions options, string? truthPath, bool quiet, VisibilityWait? wait, CancellationToken cancellationToken)
    {
        TrafficSimulator simulator;
        try
        {
            simulator = new TrafficSimulator(options);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync("simulate: " + ex.Message);
            return ExitCodes.Usage;
        }

        var endpoint = CollectorHttp.EventsEndpoint(options.BaseUrl);
        var waitFor = options.TotalEvents is null ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(5);
        try
        {
            if (!await CliOptions.IsReachableAsync(endpoint, waitFor, cancellationToken))
            {
                await Console.Error.WriteLineAsync($"simulate: nothing listens at {endpoint.GetLeftPart(UriPartial.Authority)} (waited {waitFor.TotalSeconds:0} s). Is the host running?");
                return ExitCodes.Unreachable;
            }
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Cancelled;
        }

        using var client = CollectorHttp.CreateClient(options.Concurrency);
        var runner = new TrafficRunner(client, new RunnerOptions(endpoint, options.Concurrency, options.RatePerSecond));
        var truth = truthPath is null && options.TotalEvents is null ? null : new GroundTruthBuilder(simulator);
        var started = TimeProvider.System.GetTimestamp();
        var rateText = options.RatePerSecond > 0 ? $"{options.RatePerSecond:0.##} ev/s" : "as fast as possible";
        await Console.Error.WriteLineAsync(
            $"simulate: {(options.TotalEvents is { } total ? CliOptions.N(total) + " events" : "forever (Ctrl+C stops)")} to {endpoint}, {rateText}, concurrency {options.Concurrency}, seed {options.Seed}");

        StatsClient? stats = null;
        long baseline = 0;
        using var statsHttp = CollectorHttp.CreateClient(2);
        if (wait is not null)
        {
            stats = new StatsClient(statsHttp, CollectorHttp.Origin(wait.StatsUrl), options.Site, wait.ApiKey);
            try
            {
                baseline = await stats.TotalViewsAsync(StatsDays().From, StatsDays().To, cancellationToken);
            }
            catch (Exception ex) when (ex is StatsApiException or HttpRequestException)
            {
                await Console.Error.WriteLineAsync($"simulate: --wait-visible: stats API not usable ({ex.Message}); will not wait");
                stats = null;
            }
        }

        if (quiet)
        {
            await runner.RunAsync(simulator.GenerateRequests(), truth, cancellationToken);
        }
        else
        {
            await using (new ProgressLine(runner.Counters, options.TotalEvents))
            {
                await runner.RunAsync(simulator.GenerateRequests(), truth, cancellationToken);
            }
        }
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        var c = runner.Counters;

        Console.WriteLine($"simulate: {CliOptions.N(c.EventsSent)} events in {CliOptions.N(c.Requests)} requests in {ProgressLine.Format(elapsed)} " +
                          $"({CliOptions.N(c.EventsSent / Math.Max(elapsed.TotalSeconds, 1e-9))} ev/s)");
        Console.WriteLine($"  accepted {CliOptions.N(c.EventsAccepted)} | rejected {CliOptions.N(c.EventsRejected)} | consent-dropped {CliOptions.N(c.ConsentDropped)} " +
                          $"| 503s {CliOptions.N(c.Throttled)} | transport errors {CliOptions.N(c.TransportErrors)} | failed requests {CliOptions.N(c.FailedRequests)}");
        foreach (var sample in runner.FailureSamples) Console.WriteLine("  failure: " + sample);

        if (truth is not null)
        {
            var t = truth.Build();
            Console.WriteLine($"  truth: {CliOptions.N(t.CountedEvents)} counted events ({CliOptions.N(t.PageViews)} page views, {CliOptions.N(t.ProductViews)} product views, " +
                              $"{CliOptions.N(t.PiiPathPageViews)} on paths with personal data), {CliOptions.N(t.Visitors)} visitors, {CliOptions.N(t.Pages.Count)} paths, " +
                              $"{CliOptions.N(t.Canaries.Count)} canaries; left out: {CliOptions.N(t.BotEventsSent)} bot, {CliOptions.N(t.OptOutEventsSent)} GPC/DNT, " +
                              $"{CliOptions.N(t.DuplicateEventsSent)} duplicate events");
            if (truthPath is not null)
            {
                await t.SaveAsync(truthPath, CancellationToken.None);
                Console.WriteLine("  truth written to " + Path.GetFullPath(truthPath));
            }
        }

        if (stats is not null && truth is not null && !cancellationToken.IsCancellationRequested)
        {
            var expected = truth.Build().CountedEvents;
            var visible = await WaitVisibleAsync(stats, baseline, expected, wait!.Timeout, cancellationToken);
            var waited = TimeProvider.System.GetElapsedTime(started) - elapsed;
            Console.WriteLine(visible >= expected
                ? $"  visible: all {CliOptions.N(expected)} counted events in /v1/stats/timeseries {waited.TotalSeconds:0.0} s after the last answer"
                : $"  visible: only {CliOptions.N(visible)} of {CliOptions.N(expected)} counted events after {wait.Timeout.TotalSeconds:0} s");
            if (visible < expected) return ExitCodes.Failed;
        }

        if (c.Requests == 0 && c.FailedRequests > 0) return ExitCodes.Unreachable;
        if (c.FailedRequests > 0) return ExitCodes.Failed;
        if (cancellationToken.IsCancellationRequested && options.TotalEvents is not null) return ExitCodes.Cancelled;
        return ExitCodes.Ok;
    }

    private static (DateOnly From, DateOnly To) StatsDays()
    {
        // The site's day may be another time zone's: ask a day either side.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return (today.AddDays(-1), today.AddDays(1));
    }

    private static async Task<long> WaitVisibleAsync(StatsClient stats, long baseline, long expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        long seen = 0;
        try
        {
            while (TimeProvider.System.GetElapsedTime(started) < timeout)
            {
                seen = await stats.TotalViewsAsync(StatsDays().From, StatsDays().To, cancellationToken) - baseline;
                if (seen >= expected) break;
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is StatsApiException or HttpRequestException)
        {
            await Console.Error.WriteLineAsync($"simulate: --wait-visible: {ex.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        return seen;
    }
}
