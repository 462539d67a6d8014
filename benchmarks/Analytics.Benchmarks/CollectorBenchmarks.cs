using Analytics.Collector;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>The collector's per-request parse: one realistic 10-event beacon body.</summary>
[MemoryDiagnoser]
public class CollectorBenchmarks
{
    private byte[] _body = [];

    [GlobalSetup]
    public void Setup() => _body = SampleData.BatchBody(10, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    [Benchmark]
    public int BatchParser_10_events()
    {
        BatchParser.TryParse(_body, 100, out var batch);
        return batch!.Events.Count;
    }
}
