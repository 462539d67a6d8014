using System.Globalization;

namespace Analytics.Cli;

/// <summary>
/// A one-line progress display on stderr, redrawn about twice a second with <c>\r</c> (or, when stderr is redirected,
/// a plain line every 5 seconds so logs stay readable).
/// </summary>
internal sealed class ProgressLine : IAsyncDisposable
{
    private readonly RunCounters _counters;
    private readonly long? _total;
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _lastEvents, _lastAt;
    private double _rate;
    private int _width;

    public ProgressLine(RunCounters counters, long? total, TextWriter? output = null, TimeProvider? time = null)
    {
        _counters = counters;
        _total = total;
        _out = output ?? Console.Error;
        _interactive = output is null && !Console.IsErrorRedirected;
        _time = time ?? TimeProvider.System;
        _start = _lastAt = _time.GetTimestamp();
        _loop = LoopAsync();
    }

    private async Task LoopAsync()
    {
        var period = _interactive ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(5);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(period, _time, _stop.Token);
                Draw(final: false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Draw(bool final)
    {
        var now = _time.GetTimestamp();
        var events = _counters.EventsSent;
        var dt = _time.GetElapsedTime(_lastAt, now).TotalSeconds;
        if (dt > 0)
        {
            var instant = (events - _lastEvents) / dt;
            _rate = _rate == 0 ? instant : 0.6 * instant + 0.4 * _rate;
        }
        _lastEvents = events;
        _lastAt = now;
        var elapsed = _time.GetElapsedTime(_start, now);
        var rate = final ? events / Math.Max(elapsed.TotalSeconds, 1e-9) : _rate;

        var errors = _counters.FailedRequests + _counters.TransportErrors;
        var line = _total is { } total
            ? string.Create(CultureInfo.InvariantCulture,
                $"sent {events:N0}/{total:N0} events ({100.0 * events / total:0.0}%) | {rate:N0} ev/s | 503s {_counters.Throttled:N0} | errors {errors:N0} | {(final ? "took " + Format(elapsed) : "ETA " + Eta(total - events, rate))}")
            : string.Create(CultureInfo.InvariantCulture,
                $"sent {events:N0} events | {rate:N0} ev/s | 503s {_counters.Throttled:N0} | errors {errors:N0} | running {Format(elapsed)}");
        if (_interactive)
        {
            var pad = Math.Max(0, _width - line.Length);
            _width = line.Length;
            _out.Write("\r" + line + new string(' ', pad) + (final ? Environment.NewLine : ""));
        }
        else
        {
            _out.WriteLine(line);
        }
        _out.Flush();
    }

    private static string Eta(long remaining, double rate) =>
        rate <= 0 ? "--:--" : Format(TimeSpan.FromSeconds(Math.Min(remaining / rate, 359_999)));

    internal static string Format(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}:{t.Seconds:00}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Draw(final: true);
        _stop.Dispose();
    }
}
