using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Analytics.Contracts;

/// <summary>Configuration root for the sites (top-level <c>Sites</c> array), shared by collector, anonymizer and stats.</summary>
public sealed class SitesOptions
{
    public List<SiteOptions> Sites { get; set; } = [];

    /// <summary>Readable problems with the site list; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var errors = new List<string>();
        if (Sites.Count == 0) errors.Add("Sites is empty: configure at least one site (Id, TimeZone).");
        foreach (var site in Sites)
        {
            if (string.IsNullOrWhiteSpace(site.Id) || site.Id.Length > 64) errors.Add($"Sites: site id '{site.Id}' must be 1-64 characters.");
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(site.TimeZone, out _)) errors.Add($"Sites:{site.Id}: unknown time zone '{site.TimeZone}'.");
        }
        if (Sites.GroupBy(s => s.Id, StringComparer.Ordinal).Any(g => g.Count() > 1)) errors.Add("Sites: site ids must be unique.");
        return errors;
    }
}

/// <summary>The configured sites, looked up by id.</summary>
public sealed class SiteRegistry
{
    private readonly FrozenDictionary<string, SiteOptions> _sites;
    private readonly FrozenDictionary<string, TimeZoneInfo> _zones;

    public SiteRegistry(IEnumerable<SiteOptions> sites)
    {
        _sites = sites.ToFrozenDictionary(s => s.Id, StringComparer.Ordinal);
        _zones = _sites.ToFrozenDictionary(kv => kv.Key, kv => TimeZoneInfo.FindSystemTimeZoneById(kv.Value.TimeZone), StringComparer.Ordinal);
    }

    public IEnumerable<SiteOptions> All => _sites.Values;

    public bool TryGet(string id, [NotNullWhen(true)] out SiteOptions? site) => _sites.TryGetValue(id, out site);

    /// <summary>The site's time zone; UTC for a site no longer configured.</summary>
    public TimeZoneInfo TimeZoneOf(string id) => _zones.TryGetValue(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
