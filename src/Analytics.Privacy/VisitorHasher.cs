using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Analytics.Privacy;

/// <summary>
/// Derives the daily visitor key: a truncated HMAC-SHA256 over site, client IP and User-Agent under the
/// site's key for that day. Once the day key is destroyed the value can no longer be recomputed or linked.
/// </summary>
public static class VisitorHasher
{
    // Inputs up to this size are encoded on the stack; longer ones (huge UAs) use a pooled buffer.
    private const int StackLimit = 512;

    /// <summary>
    /// Computes the 64-bit visitor key. The message is an unambiguous encoding: each of site, IP and UA as a
    /// 4-byte big-endian UTF-8 length followed by its UTF-8 bytes, so no two different triples collide by
    /// concatenation. The result is the first 8 bytes of the MAC (big-endian); it is never 0, because 0 means
    /// "no key" downstream (a computed 0 is mapped to 1).
    /// </summary>
    /// <param name="dayKey">The site's key for the event's site-local day (see <see cref="DailyKeyRing"/>); must not be empty.</param>
    /// <param name="site">Site identifier.</param>
    /// <param name="clientIp">Client IP as captured by the collector (null is treated as empty).</param>
    /// <param name="userAgent">User-Agent header (null is treated as empty).</param>
    /// <returns>A non-zero 64-bit visitor key.</returns>
    /// <exception cref="ArgumentException"><paramref name="dayKey"/> is empty.</exception>
    public static ulong Compute(ReadOnlySpan<byte> dayKey, string site, string clientIp, string userAgent)
    {
        if (dayKey.IsEmpty)
        {
            throw new ArgumentException("A day key is required.", nameof(dayKey));
        }

        site ??= string.Empty;
        clientIp ??= string.Empty;
        userAgent ??= string.Empty;

        var utf8 = Encoding.UTF8;
        int length = 12 + utf8.GetByteCount(site) + utf8.GetByteCount(clientIp) + utf8.GetByteCount(userAgent);

        byte[]? rented = null;
        Span<byte> message = length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        message = message[..length];
        try
        {
            int offset = WriteField(message, 0, site);
            offset = WriteField(message, offset, clientIp);
            WriteField(message, offset, userAgent);

            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(dayKey, message, mac);
            ulong value = BinaryPrimitives.ReadUInt64BigEndian(mac);
            return value == 0 ? 1 : value;
        }
        finally
        {
            // The buffer held an IP and a UA: never hand it back to the pool readable.
            CryptographicOperations.ZeroMemory(message);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int WriteField(Span<byte> destination, int offset, string value)
    {
        int written = Encoding.UTF8.GetBytes(value, destination[(offset + 4)..]);
        BinaryPrimitives.WriteInt32BigEndian(destination[offset..], written);
        return offset + 4 + written;
    }
}
