using System.Security.Cryptography;
using Analytics.Privacy;
using BenchmarkDotNet.Attributes;

namespace Analytics.Benchmarks;

/// <summary>Each privacy function over the sample inputs; every benchmark is per call (OperationsPerInvoke = 8).</summary>
[MemoryDiagnoser]
public class PrivacyBenchmarks
{
    private readonly byte[] _dayKey = RandomNumberGenerator.GetBytes(32);
    private readonly ScrubCounters _counters = new();
    private static readonly string[] Uas = SampleData.UserAgents;
    private static readonly string[] Urls = SampleData.Urls;
    private static readonly string[] Titles = SampleData.Titles;
    private static readonly string[] Referrers = SampleData.Referrers;

    [Benchmark(OperationsPerInvoke = 8)]
    public int UserAgentReducer_Reduce()
    {
        int sum = 0;
        foreach (var ua in Uas) sum += UserAgentReducer.Reduce(ua).Browser.Length;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int BotDetector_IsBot()
    {
        int sum = 0;
        foreach (var ua in Uas) sum += BotDetector.IsBot(ua) ? 1 : 0;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int UrlScrubber_Scrub()
    {
        int sum = 0;
        foreach (var url in Urls) sum += UrlScrubber.Scrub(url, _counters).Path.Length;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int TextScrubber_Scrub()
    {
        int sum = 0;
        foreach (var title in Titles) sum += TextScrubber.Scrub(title, _counters).Length;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int ReferrerReducer_Host()
    {
        int sum = 0;
        foreach (var referrer in Referrers) sum += ReferrerReducer.Host(referrer).Length;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public ulong VisitorHasher_Compute()
    {
        ulong sum = 0;
        for (int i = 0; i < 8; i++) sum += VisitorHasher.Compute(_dayKey, SampleData.Site, SampleData.Ips[i % 4], Uas[i]);
        return sum;
    }
}
