using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Analytics.Privacy;

/// <summary>
/// An immutable list of IPv4/IPv6 CIDR ranges (e.g. known bot or monitoring networks), parsed once.
/// IPv4-mapped IPv6 addresses (<c>::ffff:a.b.c.d</c>) match IPv4 ranges. Thread-safe.
/// </summary>
public sealed class IpRangeList
{
    private readonly (uint Network, uint Mask)[] _v4;
    private readonly (UInt128 Network, UInt128 Mask)[] _v6;

    /// <summary>
    /// Parses ranges such as <c>66.249.64.0/19</c>, <c>2001:4860:4801::/48</c> or a single address
    /// (a host range). Blank entries and entries starting with <c>#</c> are ignored. Host bits are allowed
    /// (<c>10.1.2.3/8</c> means <c>10.0.0.0/8</c>).
    /// </summary>
    /// <param name="cidrs">The ranges, typically from configuration.</param>
    /// <exception cref="FormatException">An entry is not a valid address or prefix (the message names the entry; it is configuration, not user data).</exception>
    public IpRangeList(IEnumerable<string> cidrs)
    {
        ArgumentNullException.ThrowIfNull(cidrs);
        var v4 = new List<(uint, uint)>();
        var v6 = new List<(UInt128, UInt128)>();
        foreach (string entry in cidrs)
        {
            var text = (entry ?? string.Empty).AsSpan().Trim();
            if (text.IsEmpty || text[0] == '#')
            {
                continue;
            }

            int slash = text.IndexOf('/');
            var addressText = slash < 0 ? text : text[..slash];
            if (!IPAddress.TryParse(addressText, out var address))
            {
                throw new FormatException($"Invalid IP range '{entry}': not an IP address.");
            }

            address = Normalize(address);
            int bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            int prefix = bits;
            if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
            {
                throw new FormatException($"Invalid IP range '{entry}': prefix must be 0..{bits}.");
            }

            if (bits == 32)
            {
                uint mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
                v4.Add((ToUInt32(address) & mask, mask));
            }
            else
            {
                UInt128 mask = prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
                v6.Add((ToUInt128(address) & mask, mask));
            }
        }

        _v4 = [.. v4];
        _v6 = [.. v6];
    }

    /// <summary>Number of ranges.</summary>
    public int Count => _v4.Length + _v6.Length;

    /// <summary>True when <paramref name="address"/> lies in one of the ranges.</summary>
    /// <param name="address">Client address; null is never contained.</param>
    public bool Contains(IPAddress address)
    {
        if (address is null)
        {
            return false;
        }

        address = Normalize(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            uint value = ToUInt32(address);
            foreach (var (network, mask) in _v4)
            {
                if ((value & mask) == network)
                {
                    return true;
                }
            }
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            UInt128 value = ToUInt128(address);
            foreach (var (network, mask) in _v6)
            {
                if ((value & mask) == network)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static UInt128 ToUInt128(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
