using System.CommandLine;
using System.Globalization;
using System.Text;
using Analytics.Cli.Bench;
using Analytics.Cli.Evaluation;

namespace Analytics.Cli.Commands;

/// <summary>
/// <c>analytics evaluate</c>: offline evaluation of the recommendation job. Without <c>--sessions</c>: a shop with
/// planted co-view structure, leave-last-product-out, HR@10 and NDCG@10 of the job and of popularity. With
/// <c>--sessions TRAIN --test TEST</c>: a session log (SessionId, ItemId, Time), HR@20 and MRR@20 of the job
/// (suppression on and off) beside popularity, plain cosine and sequential rules.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var sessions = new Option<string?>("--sessions") { Description = "Training sessions file (tab/comma-separated: SessionId, ItemId, Time)" };
        var test = new Option<string?>("--test") { Description = "Test sessions file, same format" };
        var generate = new Option<string?>("--generate-log") { Description = "Write a planted-shop log as PREFIX_train.txt / PREFIX_test.txt and evaluate it as a log" };
        var data = new Option<string?>("--data") { Description = "chDB data directory (default: a new temporary one, removed afterwards)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the planted shop", DefaultValueFactory = _ => 7 };
        var visitors = CliOptions.PositiveInt("--visitors-per-day", 1_500, "Planted shop: visitors per day");
        var days = CliOptions.PositiveInt("--days", 3, "Planted shop: days", 28);
        var cutoff = CliOptions.PositiveInt("--cutoff", 20, "Cut-off of the log evaluation (HR@N, MRR@N)", 200);
        var settings = RecoOptions.Create();
        var command = new Command("evaluate", "Offline evaluation of the recommendation job (planted structure, or a session log)")
        {
            sessions, test, generate, data, seed, visitors, days, cutoff,
        };
        settings.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(data) ?? Path.Combine(Path.GetTempPath(), "analytics-evaluate-" + Guid.NewGuid().ToString("N"));
            var temporary = parse.GetValue(data) is null;
            var reco = settings.Read(parse);
            var ci = CultureInfo.InvariantCulture;
            var commandLine = "analytics " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            try
            {
                await using var store = await RecoOptions.OpenAsync(path, "evaluation", ct);
                var trainPath = parse.GetValue(sessions);
                var testPath = parse.GetValue(test);
                if (parse.GetValue(generate) is { } prefix)
                {
                    var (train, held) = OfflineEvaluation.GenerateLog(new PlantedShopOptions
                    {
                        Seed = parse.GetValue(seed), VisitorsPerDay = parse.GetValue(visitors), Days = Math.Max(2, parse.GetValue(days)), LayoutEvents = false,
                    });
                    trainPath = prefix + "_train.txt";
                    testPath = prefix + "_test.txt";
                    await SessionLog.WriteAsync(trainPath, train, ct);
                    await SessionLog.WriteAsync(testPath, held, ct);
                    Console.Error.WriteLine($"evaluate: wrote {trainPath} ({train.Count:N0} sessions) and {testPath} ({held.Count:N0} sessions)");
                }

                if (trainPath is null != testPath is null)
                {
                    Console.Error.WriteLine("evaluate: --sessions and --test go together.");
                    return ExitCodes.Usage;
                }

                if (trainPath is null)
                {
                    var options = new PlantedShopOptions { Seed = parse.GetValue(seed), VisitorsPerDay = parse.GetValue(visitors), Days = parse.GetValue(days) };
                    Console.Error.WriteLine($"evaluate: planted shop, {options.Products} products in bundles of {options.BundleSize}, {options.VisitorsPerDay:N0} visitors/day for {options.Days} days, seed {options.Seed} ...");
                    var r = await OfflineEvaluation.RunPlantedAsync(store, options, reco, TimeProvider.System, ct);
                    var sb = new StringBuilder();
                    sb.AppendLine(ci, $"Planted co-view structure, leave-last-product-out ({DateTimeOffset.UtcNow:yyyy-MM-dd}, `{commandLine}`, k={reco.MinVisitors}, λ={reco.Shrinkage}):");
                    sb.AppendLine(ci, $"{r.TrainSessions:N0} training sessions + {r.TestSessions:N0} test sessions (their last product held out), {r.Events:N0} events; job: {r.Run.Pairs:N0} pairs ≥ k, {r.Run.Products:N0} products.");
                    sb.AppendLine();
                    sb.AppendLine("| model | HR@10 | NDCG@10 |");
                    sb.AppendLine("|---|---:|---:|");
                    sb.AppendLine(ci, $"| job (item-to-item, shrunk cosine) | {r.Job.HitRate:0.000} | {r.Job.Ndcg:0.000} |");
                    sb.AppendLine(ci, $"| popularity | {r.Popularity.HitRate:0.000} | {r.Popularity.Ndcg:0.000} |");
                    sb.AppendLine(ci, $"| ratio | {r.Job.HitRate / Math.Max(r.Popularity.HitRate, 1e-9):0.0}× | {r.Job.Ndcg / Math.Max(r.Popularity.Ndcg, 1e-9):0.0}× |");
                    Console.WriteLine(sb.ToString());
                    return ExitCodes.Ok;
                }

                var trainSessions = await SessionLog.ReadAsync(trainPath, ct);
                var testSessions = (await SessionLog.ReadAsync(testPath!, ct)).Where(s => s.Items.Count >= 2).ToList();
                Console.Error.WriteLine($"evaluate: {trainSessions.Count:N0} training sessions, {testSessions.Count:N0} test sessions with 2+ items");
                var n = parse.GetValue(cutoff);
                var result = await OfflineEvaluation.RunLogAsync(store, trainSessions, testSessions, "eval", reco, TimeProvider.System, n,
                    line => Console.Error.WriteLine("evaluate: " + line), ct);
                var o = new StringBuilder();
                o.AppendLine(ci, $"Session log `{Path.GetFileName(trainPath)}` / `{Path.GetFileName(testPath)}` ({DateTimeOffset.UtcNow:yyyy-MM-dd}, `{commandLine}`, {MachineInfo.Current().Cores} cores):");
                o.AppendLine(ci, $"{result.TrainSessions:N0} training sessions ({result.ReplayedSessions:N0} replayed, {result.ReplayedEvents:N0} product views), {result.TestSessions:N0} test sessions, {result.Targets:N0} next-item targets of which {result.RepeatTargets:N0} ({(double)result.RepeatTargets / Math.Max(1, result.Targets):P1}) repeat the current product (never recommended: a product page does not recommend itself).");
                foreach (var run in result.Runs) o.AppendLine(ci, $"Job run: {run.Pairs:N0} pairs kept, {run.Products:N0} products with a list, {run.Duration.TotalSeconds:0.0} s.");
                o.AppendLine();
                o.AppendLine(ci, $"| model | HR@{n} all | MRR@{n} all | HR@{n} non-repeat | MRR@{n} non-repeat | HR@{n} last item | MRR@{n} last item |");
                o.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
                foreach (var s in result.Scores)
                {
                    o.AppendLine(ci, $"| {s.Model} | {s.All.HitRate:0.000} | {s.All.Mrr:0.000} | {s.NonRepeat.HitRate:0.000} | {s.NonRepeat.Mrr:0.000} | {s.Last.HitRate:0.000} | {s.Last.Mrr:0.000} |");
                }

                Console.WriteLine(o.ToString());
                return ExitCodes.Ok;
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
}
