using System.Net;

namespace Analytics.Collector.Tests;

public sealed class ClientAddressTests
{
    private static readonly ClientAddress Resolver = new(["127.0.0.1", "10.0.0.0/8"]);

    [Fact]
    public void Forwarded_for_is_ignored_from_an_untrusted_connection() =>
        Assert.Equal("198.51.100.7", Resolver.Resolve(IPAddress.Parse("198.51.100.7"), "203.0.113.9"));

    [Fact]
    public void Forwarded_for_is_used_from_a_trusted_proxy() =>
        Assert.Equal("203.0.113.9", Resolver.Resolve(IPAddress.Loopback, "203.0.113.9"));

    [Fact]
    public void The_rightmost_untrusted_hop_wins_so_a_client_cannot_forge_its_address() =>
        Assert.Equal("203.0.113.9", Resolver.Resolve(IPAddress.Loopback, "1.2.3.4, 203.0.113.9, 10.1.2.3"));

    [Fact]
    public void Garbage_in_the_header_falls_back_to_the_connection() =>
        Assert.Equal("127.0.0.1", Resolver.Resolve(IPAddress.Loopback, "not-an-ip"));

    [Fact]
    public void Ipv4_mapped_addresses_are_normalized() =>
        Assert.Equal("203.0.113.9", Resolver.Resolve(IPAddress.Parse("::ffff:127.0.0.1"), "203.0.113.9"));

    [Fact]
    public void No_connection_address_means_unknown() => Assert.Equal("", Resolver.Resolve(null, "203.0.113.9"));
}
