using System.CommandLine;
using System.Diagnostics;
using Analytics.Recommendations;
using Analytics.Storage;
using Analytics.Storage.ChDb;

namespace Analytics.Cli.Commands;

/// <summary><c>analytics recommend</c>: runs the recommendation job once on a chDB data directory.</summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "chDB data directory (the host's Storage:ChDb:Path)", DefaultValueFactory = _ => ".data/chdb" };
        var database = new Option<string>("--database") { Description = "Database in it", DefaultValueFactory = _ => "analytics" };
        var site = new Option<string?>("--site") { Description = "Only this site (default: every site with events in the window)" };
        var settings = RecoOptions.Create();
        var command = new Command("recommend", "Run the recommendation job once: session aggregates, item-to-item scores, a new version")
        {
            data, database, site,
        };
        settings.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            await using var store = await RecoOptions.OpenAsync(parse.GetValue(data)!, parse.GetValue(database)!, ct);
            var job = new RecommendationJob(store, settings.Read(parse), TimeProvider.System);
            var runs = await job.RunAsync(parse.GetValue(site), ct);
            foreach (var r in runs)
            {
                Console.WriteLine($"site {r.Site}: version {r.Version}, {r.Products:N0} products, {r.Rows:N0} rows, {r.Pairs:N0} co-view pairs, {r.DaysRefreshed} days refreshed, {r.Duration.TotalSeconds:0.0} s");
            }

            if (runs.Count == 0) Console.WriteLine("no site has events in the window; nothing to do");
            Console.Error.WriteLine($"recommend: {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s in all, peak working set {Environment.WorkingSet / 1048576.0:N0} MiB now, {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MiB peak");
            return ExitCodes.Ok;
        });
        return command;
    }
}

/// <summary>Job settings as command-line options, shared by recommend, recommend-bench and evaluate.</summary>
internal sealed class RecoOptions
{
    public Option<int> MinVisitors { get; } = CliOptions.PositiveInt("--min-visitors", 5, "Small-cell suppression k (as Stats:MinVisitors)", 1000);
    public Option<int> ListLength { get; } = CliOptions.PositiveInt("--list-length", 20, "Recommendations kept per product", 200);
    public Option<int> WindowDays { get; } = CliOptions.PositiveInt("--window-days", 28, "Days of co-views and trending read", 760);
    public Option<int> MinSupport { get; } = CliOptions.PositiveInt("--min-support", 1, "Sessions a pair needs");
    public Option<double> Shrinkage { get; } = new("--shrinkage") { Description = "Shrinkage λ of the similarity", DefaultValueFactory = _ => 5 };
    public Option<double> SequenceWeight { get; } = new("--sequence-weight") { Description = "Weight β of the sequential component (0 = symmetric co-views only)", DefaultValueFactory = _ => 0.3 };
    public Option<bool> RelatedFill { get; } = new("--related-fill") { Description = "Fill short lists with neighbours of neighbours before trending", DefaultValueFactory = _ => true };

    public static RecoOptions Create() => new();

    public void AddTo(Command command)
    {
        command.Options.Add(MinVisitors);
        command.Options.Add(ListLength);
        command.Options.Add(WindowDays);
        command.Options.Add(MinSupport);
        command.Options.Add(Shrinkage);
        command.Options.Add(SequenceWeight);
        command.Options.Add(RelatedFill);
    }

    public RecommendationSettings Read(ParseResult parse) => new(
        MinVisitors: parse.GetValue(MinVisitors),
        ListLength: parse.GetValue(ListLength),
        WindowDays: parse.GetValue(WindowDays),
        MinSupport: parse.GetValue(MinSupport),
        Shrinkage: parse.GetValue(Shrinkage),
        SequenceWeight: Math.Clamp(parse.GetValue(SequenceWeight), 0, 1),
        RelatedFill: parse.GetValue(RelatedFill));

    /// <summary>A store on <paramref name="path"/>, migrated (the job's tables included).</summary>
    public static async Task<ChDbStore> OpenAsync(string path, string database, CancellationToken ct)
    {
        var store = new ChDbStore(new ChDbOptions { Path = path, Database = database, PoolSize = 2 });
        try
        {
            await store.MigrateAsync(ct);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }
}
