using System.Net;

namespace Analytics.Collector;

/// <summary>
/// Which address a request came from: the connection's, or — only when the connection is from a trusted proxy — the
/// right-most address in <c>X-Forwarded-For</c> that is not itself a trusted proxy. A client cannot forge its address
/// by sending the header itself.
/// </summary>
public sealed class ClientAddress
{
    private readonly IPAddress[] _proxies;
    private readonly IPNetwork[] _networks;

    public ClientAddress(IEnumerable<string> trustedProxies)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var entry in trustedProxies)
        {
            if (entry.Contains('/', StringComparison.Ordinal)) networks.Add(IPNetwork.Parse(entry));
            else proxies.Add(IPAddress.Parse(entry));
        }
        _proxies = [.. proxies];
        _networks = [.. networks];
    }

    /// <summary>Resolves the client address; empty when unknown.</summary>
    public string Resolve(IPAddress? remote, string? forwardedFor)
    {
        if (remote is null) return "";
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        if (!IsTrusted(remote) || string.IsNullOrEmpty(forwardedFor)) return remote.ToString();

        var hops = forwardedFor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop)) return remote.ToString();
            if (hop.IsIPv4MappedToIPv6) hop = hop.MapToIPv4();
            if (!IsTrusted(hop)) return hop.ToString();
        }
        return remote.ToString();
    }

    private bool IsTrusted(IPAddress address)
    {
        foreach (var p in _proxies) if (p.Equals(address)) return true;
        foreach (var n in _networks) if (n.Contains(address)) return true;
        return false;
    }
}
