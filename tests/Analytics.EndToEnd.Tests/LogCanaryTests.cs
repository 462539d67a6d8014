extern alias cli;
using System.Collections.Concurrent;
using System.Text;
using cli::Analytics.Cli;
using Analytics.TestUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Analytics.EndToEnd.Tests;

/// <summary>No planted identifier reaches a log line of the real host, at any level down to Debug.</summary>
public sealed class LogCanaryTests(ChDbFixture chdb)
{
    [Fact]
    public async Task No_planted_identifier_reaches_any_log_line_at_debug_level()
    {
        var ct = TestContext.Current.CancellationToken;
        var capture = new CapturingLoggerProvider();
        var settings = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Debug",
            ["Logging:LogLevel:Polly"] = "Debug",
        };
        await using var host = new PipelineHost(chdb, settings: settings, configure: b => b.Logging.AddProvider(capture));
        await host.StartAsync(ct);

        var options = new SimulatorOptions
        {
            Seed = 7,
            TotalEvents = 3_000,
            BaseUrl = host.BaseAddress,
            Concurrency = 4,
            Visitors = 200,
            PiiShare = 0.2,
            StartTimestampMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
        var simulator = new TrafficSimulator(options);
        var truth = new GroundTruthBuilder(simulator);
        using (var client = CollectorHttp.CreateClient(options.Concurrency))
        {
            var runner = new TrafficRunner(client, new RunnerOptions(CollectorHttp.EventsEndpoint(options.BaseUrl), options.Concurrency, 0));
            await runner.RunAsync(simulator.GenerateRequests(), truth, ct);
            Assert.Equal(0, runner.Counters.FailedRequests);
        }

        // The rights endpoints see IP and User-Agent too: exercise them with a visitor's identity.
        var visitor = simulator.VisitorCanaries().ToList();
        var device = new Device(visitor.First(c => c.Kind == "client_ip").Value, visitor.First(c => c.Kind == "user_agent").Value);
        using (var rights = device.Client(host.BaseAddress))
        {
            (await rights.GetAsync("/v1/privacy/what-we-hold?site=demo", ct)).EnsureSuccessStatusCode();
            (await rights.PostAsync("/v1/privacy/forget", new StringContent("""{"site":"demo"}""", Encoding.UTF8, "text/plain"), ct)).EnsureSuccessStatusCode();
        }

        await using (var store = host.OpenStore())
        {
            var expected = truth.Build().CountedEvents / 2;
            await StoreProbe.WaitUntilAsync(async () => await StoreProbe.CountAsync(store, "site = 'demo'", ct) >= expected, "the run is stored", ct);
        }

        await host.DisposeAsync(); // shutdown logs too
        var canaries = truth.Build().Canaries.Concat(simulator.VisitorCanaries()).DistinctBy(c => c.Value).ToList();
        Assert.Contains(canaries, c => c.Kind == "email");
        var lines = capture.Lines.ToArray();
        Assert.Contains(lines, l => l.StartsWith("Debug ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Privacy request forget", StringComparison.Ordinal));
        var leaks = canaries.SelectMany(c => lines.Where(l => l.Contains(c.Value, StringComparison.OrdinalIgnoreCase)).Take(1).Select(l => $"{c.Kind} ({c.Where}) in: {l[..Math.Min(l.Length, 160)]}")).ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} identifiers in {lines.Length} log lines: " + string.Join(" | ", leaks.Take(5)));
    }

    /// <summary>Keeps every log line: level, category, message, structured values, scopes and the full exception.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new StringBuilder().Append(logLevel).Append(' ').Append(category).Append(": ").Append(formatter(state, exception));
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values) line.Append(" |").Append(key).Append('=').Append(value);
                }

                owner._scopes.ForEachScope((scope, sb) => sb.Append(" |scope=").Append(scope), line);
                if (exception is not null) line.Append(" |exception=").Append(exception);
                owner.Lines.Enqueue(line.ToString());
            }
        }
    }
}
