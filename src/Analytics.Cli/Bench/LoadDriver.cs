using System.Diagnostics;
using System.Net;

namespace Analytics.Cli.Bench;

/// <summary>Throughput of one target over the measured window.</summary>
public sealed record LoadResult(string Target, Uri Endpoint, long Requests, long Events, long Throttled, long Errors, TimeSpan Window, double P50Ms, double P99Ms)
{
    public double RequestsPerSecond => Requests / Window.TotalSeconds;
    public double EventsPerSecond => Events / Window.TotalSeconds;
}

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each send a request, wait for its answer, and send the next. Counts
/// answers completed inside the measured window (after warm-up). A 503 is honoured (the worker waits Retry-After)
/// and not counted as done.
/// </summary>
public static class LoadDriver
{
    public static async Task<LoadResult> RunAsync(string target, Uri endpoint, RequestTemplates templates, int concurrency, TimeSpan warmup,
        TimeSpan duration, CancellationToken cancellationToken)
    {
        using var client = CollectorHttp.CreateClient(concurrency);
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long next = -1;
        var workers = new Task<Tally>[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                var tally = new Tally();
                while (!cancellationToken.IsCancellationRequested && Stopwatch.GetTimestamp() < measureTo)
                {
                    var (buffer, length, visitor) = templates.Rent(Interlocked.Increment(ref next));
                    var began = Stopwatch.GetTimestamp();
                    try
                    {
                        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(buffer, 0, length) };
                        message.Content.Headers.TryAddWithoutValidation("Content-Type", TrafficSimulator.TextPlain);
                        message.Headers.TryAddWithoutValidation("X-Forwarded-For", visitor.ClientIp);
                        message.Headers.TryAddWithoutValidation("User-Agent", visitor.UserAgent);
                        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
                        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                        var ended = Stopwatch.GetTimestamp();
                        var inWindow = ended >= measureFrom && ended < measureTo;
                        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                        {
                            if (inWindow) tally.Throttled++;
                            var wait = CollectorHttp.RetryAfter(response, TimeSpan.FromSeconds(1), DateTimeOffset.UtcNow);
                            var left = Stopwatch.GetElapsedTime(ended, measureTo);
                            await Task.Delay(wait < left ? wait : left, cancellationToken);
                        }
                        else if (response.IsSuccessStatusCode)
                        {
                            if (!inWindow) continue;
                            tally.Requests++;
                            tally.Events += response.StatusCode == HttpStatusCode.NoContent ? templates.EventsPerRequest : CollectorHttp.ParseAnswer(body).Accepted;
                            tally.Latencies.Add(Stopwatch.GetElapsedTime(began, ended).TotalMilliseconds);
                        }
                        else if (inWindow)
                        {
                            tally.Errors++;
                            tally.FirstError ??= $"{(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(200, body.Length)))}";
                        }
                    }
                    catch (HttpRequestException ex)
                    {
                        tally.Errors++;
                        tally.FirstError ??= ex.Message;
                        await Task.Delay(10, cancellationToken);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }
                    finally
                    {
                        System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
                return tally;
            }, CancellationToken.None);
        }
        var tallies = await Task.WhenAll(workers);
        var latencies = tallies.SelectMany(t => t.Latencies).Order().ToArray();
        if (tallies.Select(t => t.FirstError).FirstOrDefault(e => e is not null) is { } firstError)
        {
            await Console.Error.WriteLineAsync($"bench: {target}: first error: {firstError}");
        }
        return new LoadResult(target, endpoint,
            tallies.Sum(t => t.Requests), tallies.Sum(t => t.Events), tallies.Sum(t => t.Throttled), tallies.Sum(t => t.Errors),
            duration, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    /// <summary>Nearest-rank percentile of sorted values; NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private sealed class Tally
    {
        public long Requests, Events, Throttled, Errors;
        public string? FirstError;
        public List<double> Latencies { get; } = new(4096);
    }
}
