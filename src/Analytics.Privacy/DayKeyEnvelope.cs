using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Analytics.Privacy;

/// <summary>
/// Wraps a site's daily visitor key under the master key (AES-256-GCM) so it can be shared through the store by several
/// anonymizer instances. The sealed form is base64 of <c>nonce (12) | ciphertext (32) | tag (16)</c>; the site and day
/// are the associated data, so a sealed key cannot be replayed for another site or day.
/// </summary>
public static class DayKeyEnvelope
{
    /// <summary>Required master key size in bytes.</summary>
    public const int MasterKeySize = 32;

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int SealedSize = NonceSize + DailyKeyRing.KeySize + TagSize;

    /// <summary>Seals <paramref name="dayKey"/> (32 bytes) for <paramref name="site"/> and <paramref name="day"/>.</summary>
    /// <param name="masterKey">The 32-byte master key.</param>
    /// <param name="site">Site identifier (bound as associated data).</param>
    /// <param name="day">Site-local day (bound as associated data).</param>
    /// <param name="dayKey">The 32-byte day key.</param>
    /// <returns>Base64 of nonce, ciphertext and tag.</returns>
    /// <exception cref="ArgumentException">A key has the wrong size.</exception>
    public static string Seal(ReadOnlySpan<byte> masterKey, string site, DateOnly day, ReadOnlySpan<byte> dayKey)
    {
        if (masterKey.Length != MasterKeySize) throw new ArgumentException("The master key must be 32 bytes.", nameof(masterKey));
        if (dayKey.Length != DailyKeyRing.KeySize) throw new ArgumentException("A day key is 32 bytes.", nameof(dayKey));
        Span<byte> sealedBytes = stackalloc byte[SealedSize];
        RandomNumberGenerator.Fill(sealedBytes[..NonceSize]);
        using (var aes = new AesGcm(masterKey, TagSize))
        {
            aes.Encrypt(sealedBytes[..NonceSize], dayKey, sealedBytes.Slice(NonceSize, DailyKeyRing.KeySize), sealedBytes[^TagSize..], AssociatedData(site, day));
        }

        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>
    /// Opens a sealed day key into <paramref name="dayKey"/> (32 bytes). Returns <see langword="false"/> — never
    /// throws — for a wrong master key, another site or day, tampering or input that is not a sealed key.
    /// </summary>
    /// <param name="masterKey">The 32-byte master key.</param>
    /// <param name="site">Site identifier used to seal.</param>
    /// <param name="day">Day used to seal.</param>
    /// <param name="sealedKey">Output of <see cref="Seal"/>.</param>
    /// <param name="dayKey">Receives the 32-byte key; zeroed when opening fails.</param>
    public static bool TryOpen(ReadOnlySpan<byte> masterKey, string site, DateOnly day, string sealedKey, Span<byte> dayKey)
    {
        if (masterKey.Length != MasterKeySize || dayKey.Length != DailyKeyRing.KeySize || string.IsNullOrEmpty(sealedKey)) return false;
        Span<byte> sealedBytes = stackalloc byte[SealedSize + 3];
        if (!Convert.TryFromBase64String(sealedKey, sealedBytes, out var length) || length != SealedSize) return false;
        try
        {
            using var aes = new AesGcm(masterKey, TagSize);
            aes.Decrypt(sealedBytes[..NonceSize], sealedBytes.Slice(NonceSize, DailyKeyRing.KeySize), sealedBytes.Slice(NonceSize + DailyKeyRing.KeySize, TagSize), dayKey, AssociatedData(site, day));
            return true;
        }
        catch (CryptographicException)
        {
            CryptographicOperations.ZeroMemory(dayKey);
            return false;
        }
    }

    private static byte[] AssociatedData(string site, DateOnly day) =>
        Encoding.UTF8.GetBytes("visitor-key/v1\n" + (site ?? string.Empty) + "\n" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}
