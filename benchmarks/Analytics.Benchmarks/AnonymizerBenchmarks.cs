using Analytics.Anonymizer;
using Analytics.Contracts;
using Analytics.Privacy;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>The anonymizer's per-event work: 10 events as one beacon request delivers them (one visitor's UA and IP).</summary>
[MemoryDiagnoser]
public class AnonymizerBenchmarks
{
    private EventAnonymizer _anonymizer = null!;
    private CollectedEvent[] _events = [];

    [GlobalSetup]
    public void Setup()
    {
        var sites = new SiteRegistry([new SiteOptions { Id = SampleData.Site }]);
        var keys = new DailyKeyRing(TimeProvider.System, sites.TimeZoneOf);
        _anonymizer = new EventAnonymizer(keys, sites, new IpRangeList(["66.249.64.0/19"]), new ScrubCounters());
        // 80 events from 8 visitors: the UA of a visitor repeats, as it does within a batch.
        _events = SampleData.CollectedEvents(80, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Benchmark(OperationsPerInvoke = 80)]
    public int Anonymize_per_event()
    {
        int sum = 0;
        foreach (var e in _events)
        {
            sum += _anonymizer.Anonymize(e).Path.Length;
        }

        return sum;
    }
}
