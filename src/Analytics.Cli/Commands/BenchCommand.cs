using System.CommandLine;
using System.Globalization;
using System.Text;
using Analytics.Cli.Bench;

namespace Analytics.Cli.Commands;

/// <summary>
/// <c>analytics bench</c>: (a) a bare Kestrel endpoint started in-process, (b) the collector, both driven with the same
/// client, concurrency, duration and request bodies; (c) end-to-end delay and throughput through the stats API.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var url = CliOptions.Url("http://127.0.0.1:8080/v1/events", "Collector events endpoint (a bare origin gets /v1/events)");
        var statsUrl = new Option<Uri?>("--stats-url") { Description = "Stats API origin (default: the origin of --url)" };
        var apiKey = CliOptions.ApiKey();
        var site = new Option<string>("--site") { Description = "Site id", DefaultValueFactory = _ => "demo" };
        var duration = CliOptions.Duration("--duration", "10s", "Measured time per target");
        var warmup = CliOptions.Duration("--warmup", "2s", "Unmeasured warm-up per target");
        var concurrency = CliOptions.PositiveInt("--concurrency", 32, "Requests in flight at once", 4096);
        var perRequest = CliOptions.PositiveInt("--events-per-request", 10, "Events in each request body", 100);
        var probes = CliOptions.PositiveInt("--probes", 10, "End-to-end probe paths");
        var probeVisitors = CliOptions.PositiveInt("--probe-visitors", 6, "Distinct visitors per probe path (must reach k, default k=5)", 1000);
        var e2eEvents = CliOptions.PositiveInt("--e2e-events", 20_000, "Events of the end-to-end throughput load");
        var e2eTimeout = CliOptions.Duration("--e2e-timeout", "120s", "Longest wait for data to become visible in stats");
        var noCollector = new Option<bool>("--bare-only") { Description = "Measure only the bare endpoint (checks the client side)" };
        var noE2e = new Option<bool>("--no-e2e") { Description = "Skip the end-to-end part" };
        var markdown = new Option<bool>("--markdown") { Description = "Also print a block for docs/performance.md" };
        var seed = new Option<int?>("--seed") { Description = "Seed of bodies and probes (default: random, so event ids are new each run)" };

        var command = new Command("bench", "Measure the collector against a bare endpoint, and end-to-end delay and throughput")
        {
            url, statsUrl, apiKey, site, duration, warmup, concurrency, perRequest, probes, probeVisitors, e2eEvents, e2eTimeout, noCollector, noE2e,
            markdown, seed,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Settings(
                Endpoint: CollectorHttp.EventsEndpoint(parse.GetValue(url)!),
                StatsOrigin: parse.GetValue(statsUrl) is { } s ? CollectorHttp.Origin(s) : CollectorHttp.Origin(parse.GetValue(url)!),
                ApiKey: CliOptions.ResolveApiKey(parse.GetValue(apiKey)),
                Site: parse.GetValue(site)!,
                Duration: parse.GetValue(duration),
                Warmup: parse.GetValue(warmup),
                Concurrency: parse.GetValue(concurrency),
                EventsPerRequest: parse.GetValue(perRequest),
                Probes: parse.GetValue(probes),
                ProbeVisitors: parse.GetValue(probeVisitors),
                E2eEvents: parse.GetValue(e2eEvents),
                E2eTimeout: parse.GetValue(e2eTimeout),
                BareOnly: parse.GetValue(noCollector),
                SkipE2e: parse.GetValue(noE2e),
                Markdown: parse.GetValue(markdown),
                Seed: parse.GetValue(seed) ?? Random.Shared.Next(),
                CommandLine: "analytics " + string.Join(' ', parse.Tokens.Select(t => t.Value.Contains(' ', StringComparison.Ordinal) ? $"\"{t.Value}\"" : t.Value)));
            return await RunAsync(settings, cancellationToken);
        });
        return command;
    }

    private sealed record Settings(Uri Endpoint, Uri StatsOrigin, string? ApiKey, string Site, TimeSpan Duration, TimeSpan Warmup, int Concurrency,
        int EventsPerRequest, int Probes, int ProbeVisitors, int E2eEvents, TimeSpan E2eTimeout, bool BareOnly, bool SkipE2e, bool Markdown, int Seed,
        string CommandLine);

    private static async Task<int> RunAsync(Settings s, CancellationToken cancellationToken)
    {
        var exit = ExitCodes.Ok;
        var machine = MachineInfo.Current();
        var started = DateTimeOffset.UtcNow;
        Err($"bench: {machine}");
        if (MachineInfo.IsDebugBuild()) Err("bench: warning: this is a Debug build of the tool; run with -c Release for numbers worth keeping");
        Err($"bench: seed {s.Seed}; {s.Concurrency} concurrent, {s.EventsPerRequest} events/request, {ProgressLine.Format(s.Warmup)} warm-up + {s.Duration.TotalSeconds:0.#} s per target");

        var templates = RequestTemplates.Create(Math.Max(1_000, s.Concurrency * 8), s.EventsPerRequest, s.Seed, s.Site, started.ToUnixTimeMilliseconds());
        Err($"bench: {templates.Count} bodies of {s.EventsPerRequest} events from distinct visitors, {templates.AverageBodyBytes:N0} bytes on average");

        var results = new List<LoadResult>();
        try
        {
            await using (var bare = await BareEndpoint.StartAsync(cancellationToken))
            {
                Err($"bench: (a) bare endpoint {bare.Endpoint} ...");
                results.Add(await LoadDriver.RunAsync("bare", bare.Endpoint, templates, s.Concurrency, s.Warmup, s.Duration, cancellationToken));
            }

            ProbeResult? probe = null;
            ThroughputResult? throughput = null;
            string? e2eNote = null;
            if (!s.BareOnly)
            {
                if (!await CliOptions.IsReachableAsync(s.Endpoint, TimeSpan.FromSeconds(3), cancellationToken))
                {
                    Err($"bench: collector not reachable at {s.Endpoint.GetLeftPart(UriPartial.Authority)}; only the bare endpoint was measured");
                    exit = ExitCodes.Unreachable;
                }
                else
                {
                    Err($"bench: (b) collector {s.Endpoint} ...");
                    var collector = await LoadDriver.RunAsync("collector", s.Endpoint, templates, s.Concurrency, s.Warmup, s.Duration, cancellationToken);
                    results.Add(collector);
                    if (collector.Requests == 0) exit = ExitCodes.Failed;

                    if (!s.SkipE2e)
                    {
                        (probe, throughput, e2eNote) = await EndToEndAsync(s, cancellationToken);
                        if (e2eNote is not null || probe is { } p && p.Visible < p.Probes || throughput is { VisibleAfter: null }) exit = ExitCodes.Failed;
                    }
                }
            }

            var table = Table(results, probe, throughput, e2eNote, s);
            Console.WriteLine(s.Markdown ? Markdown(table, machine, started, s) : table);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Err("bench: cancelled");
            return ExitCodes.Cancelled;
        }
        return exit;
    }

    private static async Task<(ProbeResult?, ThroughputResult?, string?)> EndToEndAsync(Settings s, CancellationToken cancellationToken)
    {
        using var http = CollectorHttp.CreateClient(4);
        var stats = new StatsClient(http, s.StatsOrigin, s.Site, s.ApiKey);
        var e2e = new EndToEnd(s.Endpoint, stats, s.Site, Math.Min(s.Concurrency, 16), s.E2eTimeout);
        try
        {
            Err("bench: (c) waiting for the pipeline to drain the load ...");
            var drained = await e2e.WaitForQuietAsync(cancellationToken);
            Err($"bench: (c) stats quiet after {drained.TotalSeconds:0.0} s; {s.Probes} probes of {s.ProbeVisitors} visitors ...");
            var probe = await e2e.ProbeAsync(s.Probes, s.ProbeVisitors, TimeSpan.FromMilliseconds(500), s.Seed, cancellationToken);
            Err($"bench: (c) end-to-end load of {s.E2eEvents:N0} events ...");
            var throughput = await e2e.ThroughputAsync(s.E2eEvents, unchecked(s.Seed + 1), cancellationToken);
            return (probe, throughput, null);
        }
        catch (StatsApiException ex)
        {
            var hint = ex.Status is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden
                ? " (pass --api-key, set ANALYTICS_API_KEY or create .data/dev-api-key.txt)" : "";
            Err($"bench: end-to-end part skipped: {ex.Message}{hint}");
            return (null, null, ex.Message + hint);
        }
        catch (HttpRequestException ex)
        {
            Err($"bench: end-to-end part skipped: stats API unreachable at {s.StatsOrigin}: {ex.Message}");
            return (null, null, "stats API unreachable");
        }
    }

    private static string Table(List<LoadResult> results, ProbeResult? probe, ThroughputResult? throughput, string? e2eNote, Settings s)
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine(ci, $"| target | requests/s | events/s | p50 ms | p99 ms | 503s | errors |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            sb.AppendLine(ci, $"| {r.Target} | {r.RequestsPerSecond:N0} | {r.EventsPerSecond:N0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Throttled:N0} | {r.Errors:N0} |");
        }
        if (results.Count == 2 && results[0].RequestsPerSecond > 0)
        {
            sb.AppendLine(ci, $"| collector / bare | {results[1].RequestsPerSecond / results[0].RequestsPerSecond:0.00}× | {results[1].EventsPerSecond / Math.Max(results[0].EventsPerSecond, 1e-9):0.00}× | | | | |");
        }
        sb.AppendLine();
        sb.AppendLine(ci, $"{s.Concurrency} concurrent requests, {s.EventsPerRequest} events each, {s.Duration.TotalSeconds:0.#} s measured after {s.Warmup.TotalSeconds:0.#} s warm-up per target; client and server share this machine.");
        if (probe is not null)
        {
            sb.AppendLine(ci, $"End-to-end delay POST→visible in /v1/stats/pages: median {probe.MedianMs:N0} ms, p99 {probe.P99Ms:N0} ms, max {probe.MaxMs:N0} ms " +
                              $"({probe.Visible}/{probe.Probes} probes of {s.ProbeVisitors} visitors seen; polled every {probe.PollInterval.TotalMilliseconds:0} ms).");
        }
        if (throughput is not null)
        {
            if (throughput.EndToEndEventsPerSecond is { } e2e)
            {
                sb.AppendLine(ci, $"End-to-end throughput: {throughput.CountedEvents:N0} events sent in {throughput.SendTime.TotalSeconds:0.0} s ({throughput.IngestEventsPerSecond:N0} ev/s accepted), all visible in /v1/stats/timeseries after {throughput.VisibleAfter!.Value.TotalSeconds:0.0} s → {e2e:N0} ev/s end-to-end.");
            }
            else
            {
                sb.AppendLine(ci, $"End-to-end throughput: {throughput.CountedEvents:N0} events sent in {throughput.SendTime.TotalSeconds:0.0} s; only {throughput.Reached:N0} visible after {s.E2eTimeout.TotalSeconds:0} s (timed out).");
            }
        }
        if (e2eNote is not null) sb.AppendLine("End-to-end: not measured: " + e2eNote);
        return sb.ToString().TrimEnd();
    }

    private static string Markdown(string table, MachineInfo machine, DateTimeOffset started, Settings s)
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine(ci, $"### Collector benchmark, {started:yyyy-MM-dd}");
        sb.AppendLine();
        sb.AppendLine(ci, $"- Machine: {machine.Cores} cores ({machine.Cpu}), {machine.RamGiB:0.#} GiB RAM, {machine.Os}");
        sb.AppendLine(ci, $"- Runtime: {machine.Runtime}{(MachineInfo.IsDebugBuild() ? " (Debug build of the tool: not representative)" : "")}");
        sb.AppendLine(ci, $"- Date: {started:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine(ci, $"- Command: `{s.CommandLine}` (seed {s.Seed})");
        sb.AppendLine();
        sb.AppendLine(table);
        return sb.ToString();
    }

    private static void Err(string line) => Console.Error.WriteLine(line);
}
