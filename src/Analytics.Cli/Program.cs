using System.CommandLine;
using Analytics.Cli.Commands;

var root = new RootCommand("analytics: tools around the privacy-first analytics pipeline")
{
    SimulateCommand.Create(),
    BenchCommand.Create(),
    RecommendCommand.Create(), RecommendBenchCommand.Create(), EvaluateCommand.Create(),
    InventoryCommand.Create(), PrivacyCheckCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Try 'analytics --help'.");
    return ExitCodes.Usage;
}
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
