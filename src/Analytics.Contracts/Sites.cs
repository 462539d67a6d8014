namespace Analytics.Contracts;

/// <summary>A site the collector accepts events for.</summary>
public sealed class SiteOptions
{
    /// <summary>Site id as sent by the beacon (<c>site</c> field).</summary>
    public string Id { get; set; } = "";
    /// <summary>IANA time zone that defines the site's day (visitor keys and daily aggregates).</summary>
    public string TimeZone { get; set; } = "UTC";
    /// <summary>Origins allowed to send events from a browser (CORS); empty allows any origin.</summary>
    public List<string> Origins { get; set; } = [];
    /// <summary>Drop events sent with <c>Sec-GPC: 1</c> (counted, never stored).</summary>
    public bool HonorGlobalPrivacyControl { get; set; } = true;
    /// <summary>Drop events sent with <c>DNT: 1</c> (counted, never stored).</summary>
    public bool HonorDoNotTrack { get; set; } = true;
}
