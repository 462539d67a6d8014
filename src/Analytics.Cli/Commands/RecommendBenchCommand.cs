using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Analytics.Cli.Bench;
using Analytics.Cli.Evaluation;
using Analytics.Recommendations;
using Analytics.Storage;

namespace Analytics.Cli.Commands;

/// <summary>
/// <c>analytics recommend-bench</c>: inserts N simulated anonymized events straight into a chDB store (no HTTP), then
/// runs the recommendation job on them, and prints time and memory for docs/performance.md.
/// </summary>
internal static class RecommendBenchCommand
{
    public static Command Create()
    {
        var events = new Option<long>("--events") { Description = "Events to insert", DefaultValueFactory = _ => 10_000_000 };
        var data = new Option<string?>("--data") { Description = "chDB data directory (default: a new temporary one, removed afterwards)" };
        var days = CliOptions.PositiveInt("--days", 28, "Days the events spread over (ending today)", 29);
        var batch = CliOptions.PositiveInt("--batch", 100_000, "Rows per insert", 1_000_000);
        var products = CliOptions.PositiveInt("--products", 2_000, "Products in the simulated catalogue", 100_000);
        var seed = new Option<int>("--seed") { Description = "Generator seed", DefaultValueFactory = _ => 1 };
        var skipInsert = new Option<bool>("--skip-insert") { Description = "Only run the job on what --data already holds" };
        var settings = RecoOptions.Create();
        var command = new Command("recommend-bench", "Insert N simulated events into chDB and time the recommendation job on them")
        {
            events, data, days, batch, products, seed, skipInsert,
        };
        settings.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var target = parse.GetValue(events);
            var path = parse.GetValue(data) ?? Path.Combine(Path.GetTempPath(), "analytics-reco-bench-" + Guid.NewGuid().ToString("N"));
            var temporary = parse.GetValue(data) is null;
            var machine = MachineInfo.Current();
            Console.Error.WriteLine($"recommend-bench: {machine}");
            if (MachineInfo.IsDebugBuild()) Console.Error.WriteLine("recommend-bench: warning: Debug build; run with -c Release for numbers worth keeping");
            try
            {
                await using var store = await RecoOptions.OpenAsync(path, "bench", ct);
                var inserted = 0L;
                var insertTime = TimeSpan.Zero;
                if (!parse.GetValue(skipInsert))
                {
                    // ~20 events per visitor-day on average with these settings (measured ~21.6): size the population to overshoot, then stop at the target.
                    var dayCount = parse.GetValue(days);
                    var shop = new PlantedShop(new PlantedShopOptions
                    {
                        Seed = parse.GetValue(seed),
                        Products = parse.GetValue(products),
                        Categories = 24,
                        Days = dayCount,
                        VisitorsPerDay = (int)Math.Max(100, target / dayCount / 20),
                    });
                    var started = Stopwatch.GetTimestamp();
                    var rows = new List<Analytics.Storage.AnonymizedEvent>(parse.GetValue(batch));
                    var n = 0;
                    foreach (var session in shop.Sessions())
                    {
                        foreach (var e in shop.Events(session))
                        {
                            rows.Add(e);
                            if (inserted + rows.Count >= target) break;
                        }

                        if (rows.Count >= parse.GetValue(batch) || inserted + rows.Count >= target)
                        {
                            await store.InsertEventsAsync(rows, $"bench-{n++}", ct);
                            inserted += rows.Count;
                            rows.Clear();
                            if (n % 10 == 0) Console.Error.WriteLine($"recommend-bench: {inserted:N0} events inserted, {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
                            if (inserted >= target) break;
                        }
                    }

                    if (rows.Count > 0)
                    {
                        await store.InsertEventsAsync(rows, $"bench-{n}", ct);
                        inserted += rows.Count;
                    }

                    insertTime = Stopwatch.GetElapsedTime(started);
                    Console.Error.WriteLine($"recommend-bench: {inserted:N0} events inserted in {insertTime.TotalSeconds:0.0} s; peak working set so far {Peak():N0} MiB");
                }

                var peakBefore = Peak();
                var job = new RecommendationJob(store, settings.Read(parse), TimeProvider.System);
                var jobStarted = Stopwatch.GetTimestamp();
                var runs = await job.RunAsync(null, ct);
                var jobTime = Stopwatch.GetElapsedTime(jobStarted);
                var second = Stopwatch.GetTimestamp();
                var rerun = await job.RunAsync(null, ct);
                var rerunTime = Stopwatch.GetElapsedTime(second);
                var ci = CultureInfo.InvariantCulture;
                Console.WriteLine(string.Create(ci, $"### Recommendation job, {DateTimeOffset.UtcNow:yyyy-MM-dd}"));
                Console.WriteLine();
                Console.WriteLine(string.Create(ci, $"- Machine: {machine.Cores} cores ({machine.Cpu}), {machine.RamGiB:0.#} GiB RAM, {machine.Os}; {machine.Runtime}{(MachineInfo.IsDebugBuild() ? " (Debug build)" : "")}"));
                Console.WriteLine(string.Create(ci, $"- Command: `analytics {string.Join(' ', parse.Tokens.Select(t => t.Value))}` (chDB embedded, data in {(temporary ? "a temporary directory" : path)})"));
                Console.WriteLine();
                Console.WriteLine("| step | events | time | peak working set (process, chDB included) |");
                Console.WriteLine("|---|---:|---:|---:|");
                if (inserted > 0) Console.WriteLine(string.Create(ci, $"| insert (IAnalyticsStore.InsertEventsAsync, {parse.GetValue(batch):N0} rows/block, MVs included) | {inserted:N0} | {insertTime.TotalSeconds:0.0} s ({inserted / insertTime.TotalSeconds:N0} ev/s) | {peakBefore:N0} MiB |"));
                foreach (var r in runs)
                {
                    Console.WriteLine(string.Create(ci, $"| job, first run (site {r.Site}: {r.DaysRefreshed} days of sessions recomputed, {r.Pairs:N0} pairs ≥ k, {r.Products:N0} products, {r.Rows:N0} rows) | | {jobTime.TotalSeconds:0.0} s | {Peak():N0} MiB |"));
                }

                Console.WriteLine(string.Create(ci, $"| job, second run (open days recomputed again, new version) | | {rerunTime.TotalSeconds:0.0} s | {Peak():N0} MiB |"));
                return runs.Count > 0 && rerun.Count > 0 ? ExitCodes.Ok : ExitCodes.Failed;
            }
            finally
            {
                if (temporary)
                {
                    try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                }
            }
        });
        return command;
    }

    private static double Peak() => Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
}
