namespace Analytics.Cli;

/// <summary>Live counters of a run, updated by the senders and read by the progress line. Thread-safe.</summary>
public sealed class RunCounters
{
    private long _requests, _eventsSent, _eventsAccepted, _eventsRejected, _consentDropped, _throttled, _failedRequests, _transportErrors;

    /// <summary>Requests that got a final answer.</summary>
    public long Requests => Interlocked.Read(ref _requests);
    /// <summary>Events in requests that got a final answer (a 503 is not an answer; its batch is retried).</summary>
    public long EventsSent => Interlocked.Read(ref _eventsSent);
    public long EventsAccepted => Interlocked.Read(ref _eventsAccepted);
    public long EventsRejected => Interlocked.Read(ref _eventsRejected);
    public long ConsentDropped => Interlocked.Read(ref _consentDropped);
    /// <summary>503 answers (each followed by a wait and a retry of the same batch).</summary>
    public long Throttled => Interlocked.Read(ref _throttled);
    /// <summary>Requests given up on: a 4xx/5xx other than 503, or transport errors after the last retry.</summary>
    public long FailedRequests => Interlocked.Read(ref _failedRequests);
    /// <summary>Connection errors and timeouts, retried ones included.</summary>
    public long TransportErrors => Interlocked.Read(ref _transportErrors);

    internal void Answered(int events, CollectorAnswer answer)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _eventsSent, events);
        Interlocked.Add(ref _eventsAccepted, answer.Accepted);
        Interlocked.Add(ref _eventsRejected, answer.RejectedIndexes.Count);
        Interlocked.Add(ref _consentDropped, answer.ConsentDropped);
    }

    internal void Failed(int events)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _eventsSent, events);
        Interlocked.Add(ref _eventsRejected, events);
        Interlocked.Increment(ref _failedRequests);
    }

    internal void GaveUp() => Interlocked.Increment(ref _failedRequests);
    internal void Throttle() => Interlocked.Increment(ref _throttled);
    internal void TransportError() => Interlocked.Increment(ref _transportErrors);
}
