using System.Net;
using System.Threading.Channels;
using Polly;
using Polly.Retry;

namespace Analytics.Cli;

/// <summary>Settings of a <see cref="TrafficRunner"/>.</summary>
/// <param name="Endpoint">The events endpoint, e.g. <c>http://127.0.0.1:8080/v1/events</c>.</param>
/// <param name="Concurrency">Requests in flight at once.</param>
/// <param name="RatePerSecond">Events per second, 0 for as fast as possible.</param>
/// <param name="TransportRetries">Retries of a batch after connection errors or timeouts, before it is given up.</param>
public sealed record RunnerOptions(Uri Endpoint, int Concurrency, double RatePerSecond, int TransportRetries = 5);

/// <summary>
/// Sends simulated requests with bounded concurrency and an optional event rate. A 503 is not an answer: the same
/// batch is sent again after Retry-After, for as long as it takes. Transport errors are retried a few times.
/// </summary>
public sealed class TrafficRunner
{
    private static readonly ResiliencePropertyKey<SimulatedRequest> RequestKey = new("analytics.request");
    private readonly HttpClient _client;
    private readonly RunnerOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Lock _pace = new();
    private long _nextDue;

    public TrafficRunner(HttpClient client, RunnerOptions options, TimeProvider? time = null)
    {
        _client = client;
        _options = options;
        _time = time ?? TimeProvider.System;
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(10),
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Result.StatusCode: HttpStatusCode.ServiceUnavailable } => true,
                    { Exception: HttpRequestException or TaskCanceledException } when !args.Context.CancellationToken.IsCancellationRequested
                        => args.AttemptNumber < _options.TransportRetries,
                    _ => false,
                }),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Outcome.Result is { StatusCode: HttpStatusCode.ServiceUnavailable } r
                    ? CollectorHttp.RetryAfter(r, TimeSpan.FromSeconds(1), _time.GetUtcNow())
                    : null),
                OnRetry = args =>
                {
                    if (args.Outcome.Result is { StatusCode: HttpStatusCode.ServiceUnavailable }) Counters.Throttle();
                    else Counters.TransportError();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public RunCounters Counters { get; } = new();

    /// <summary>The first problem detail bodies of failed requests (at most 5), for the summary.</summary>
    public IReadOnlyList<string> FailureSamples => [.. _failures];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _failures = new();

    /// <summary>
    /// Sends every request of <paramref name="requests"/>; records answers into <paramref name="truth"/> when given.
    /// Returns when all are answered or given up, or when <paramref name="cancellationToken"/> fires (no exception then).
    /// </summary>
    public async Task RunAsync(IEnumerable<SimulatedRequest> requests, GroundTruthBuilder? truth, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<SimulatedRequest>(new BoundedChannelOptions(_options.Concurrency * 2)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _nextDue = _time.GetTimestamp();

        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var request in requests)
                {
                    await channel.Writer.WriteAsync(request, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        }, CancellationToken.None);

        var workers = Enumerable.Range(0, _options.Concurrency).Select(_ => Task.Run(async () =>
        {
            try
            {
                await foreach (var request in channel.Reader.ReadAllAsync(cancellationToken))
                {
                    await PaceAsync(request.Events.Count, cancellationToken);
                    await SendAsync(request, truth, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }, CancellationToken.None)).ToList();

        await Task.WhenAll(workers);
        await producer;
    }

    /// <summary>Sends one request until it gets a final answer; returns the answer, or null when it was given up.</summary>
    public async Task<CollectorAnswer?> SendAsync(SimulatedRequest request, GroundTruthBuilder? truth, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            using var response = await _pipeline.ExecuteAsync(static async (ctx, state) =>
            {
                using var message = CollectorHttp.CreateMessage(state.Endpoint, ctx.Properties.GetValue(RequestKey, null!));
                return await state.Client.SendAsync(message, HttpCompletionOption.ResponseContentRead, ctx.CancellationToken);
            }, context, (Client: _client, _options.Endpoint));

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var answer = response.StatusCode == HttpStatusCode.NoContent
                    ? new CollectorAnswer(request.Events.Count, [], 0)
                    : CollectorHttp.ParseAnswer(body);
                Counters.Answered(request.Events.Count, answer);
                truth?.RecordAccepted(request, answer.Accepted, answer.RejectedIndexes);
                return answer;
            }

            Counters.Failed(request.Events.Count);
            truth?.RecordFailed(request);
            if (_failures.Count < 5) _failures.Enqueue($"{(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)))}");
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Given up after the last transport retry: not sent, so not in the truth.
            Counters.GaveUp();
            if (_failures.Count < 5) _failures.Enqueue(ex.GetType().Name + ": " + ex.Message);
            return null;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask PaceAsync(int events, CancellationToken cancellationToken)
    {
        if (_options.RatePerSecond <= 0) return;
        long due;
        var now = _time.GetTimestamp();
        lock (_pace)
        {
            // No catching up in bursts after a stall: the schedule restarts from now.
            due = Math.Max(_nextDue, now);
            _nextDue = due + (long)(events / _options.RatePerSecond * _time.TimestampFrequency);
        }
        var wait = _time.GetElapsedTime(now, due);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, cancellationToken);
    }
}
