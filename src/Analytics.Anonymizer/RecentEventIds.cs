namespace Analytics.Anonymizer;

/// <summary>
/// Event ids seen within a time window, to drop beacon retries of an event already stored. Ids are added only after
/// their batch is written, so a batch retried after a failed write is rebuilt identically.
/// </summary>
internal sealed class RecentEventIds(TimeProvider time, TimeSpan window)
{
    private readonly Dictionary<(string Site, Guid Id), long> _seen = [];
    private readonly Queue<(long At, (string Site, Guid Id) Key)> _order = new();

    public int Count => _seen.Count;

    public bool Contains(string site, Guid id) => _seen.ContainsKey((site, id));

    public void Add(string site, Guid id)
    {
        var now = time.GetTimestamp();
        if (_seen.TryAdd((site, id), now)) _order.Enqueue((now, (site, id)));
        Expire(now);
    }

    private void Expire(long now)
    {
        while (_order.TryPeek(out var head) && time.GetElapsedTime(head.At, now) > window)
        {
            _order.Dequeue();
            _seen.Remove(head.Key);
        }
    }
}
