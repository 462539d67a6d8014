using System.Diagnostics.Metrics;

namespace Analytics.Anonymizer;

/// <summary>The privacy engine's meter (<c>Analytics.Privacy</c>): key lifecycle and rights requests. Counts only.</summary>
public sealed class PrivacyMetrics
{
    public const string MeterName = "Analytics.Privacy";

    private readonly Counter<long> _keys;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _forgottenEvents;

    public PrivacyMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _keys = meter.CreateCounter<long>("analytics.privacy.keys", "{key}", "Visitor keys created or destroyed by this instance, by action");
        _requests = meter.CreateCounter<long>("analytics.privacy.requests", "{request}", "Rights requests (forget, what_we_hold)");
        _forgottenEvents = meter.CreateCounter<long>("analytics.privacy.events.deleted", "{event}", "Stored events deleted on a forget request");
    }

    public void Key(string action) => _keys.Add(1, new KeyValuePair<string, object?>("action", action));
    public void Request(string kind) => _requests.Add(1, new KeyValuePair<string, object?>("kind", kind));
    public void EventsDeleted(long n) => _forgottenEvents.Add(n);
}
