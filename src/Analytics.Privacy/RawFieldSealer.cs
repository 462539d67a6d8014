using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Analytics.Privacy;

/// <summary>
/// AES-256-GCM sealing of identifying fields (IP, User-Agent) while they travel on the raw transport topic.
/// The sealed form is base64 of <c>nonce (12) | ciphertext | tag (16)</c> with a fresh random nonce per value;
/// the associated data (e.g. site and event id) binds a value to its event so it cannot be moved to another.
/// </summary>
public static class RawFieldSealer
{
    /// <summary>Required key size in bytes.</summary>
    public const int KeySize = 32;

    private const int NonceSize = 12; // AesGcm.NonceByteSizes.MaxSize
    private const int TagSize = 16;   // AesGcm.TagByteSizes.MaxSize
    private const int StackLimit = 512;

    /// <summary>Encrypts and authenticates <paramref name="plaintext"/>.</summary>
    /// <param name="key32">A 32-byte key.</param>
    /// <param name="plaintext">The value to seal (null is sealed as empty).</param>
    /// <param name="associatedData">Authenticated, not encrypted, context; the same bytes are needed to open.</param>
    /// <returns>Base64 of nonce, ciphertext and tag.</returns>
    /// <exception cref="ArgumentException"><paramref name="key32"/> is not 32 bytes.</exception>
    public static string Seal(ReadOnlySpan<byte> key32, string plaintext, ReadOnlySpan<byte> associatedData)
    {
        if (key32.Length != KeySize)
        {
            throw new ArgumentException("The key must be 32 bytes.", nameof(key32));
        }

        plaintext ??= string.Empty;
        int plainLength = Encoding.UTF8.GetByteCount(plaintext);
        int total = NonceSize + plainLength + TagSize;

        byte[]? rented = null;
        Span<byte> buffer = total + plainLength <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(total + plainLength));
        try
        {
            var sealedBytes = buffer[..total];
            var plain = buffer.Slice(total, plainLength);
            Encoding.UTF8.GetBytes(plaintext, plain);

            var nonce = sealedBytes[..NonceSize];
            RandomNumberGenerator.Fill(nonce);
            using (var aes = new AesGcm(key32, TagSize))
            {
                aes.Encrypt(nonce, plain, sealedBytes.Slice(NonceSize, plainLength), sealedBytes[^TagSize..], associatedData);
            }

            return Convert.ToBase64String(sealedBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer[..Math.Min(buffer.Length, total + plainLength)]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Opens a value produced by <see cref="Seal"/>. Returns <see langword="false"/> — never throws — for a
    /// wrong key, different associated data, tampering, truncation or input that is not a sealed value.
    /// </summary>
    /// <param name="key32">The 32-byte key used to seal.</param>
    /// <param name="sealedValue">The base64 sealed value.</param>
    /// <param name="associatedData">The associated data used to seal.</param>
    /// <param name="plaintext">The original value, or empty when opening failed.</param>
    public static bool TryOpen(ReadOnlySpan<byte> key32, string sealedValue, ReadOnlySpan<byte> associatedData, out string plaintext)
    {
        plaintext = string.Empty;
        if (key32.Length != KeySize || string.IsNullOrEmpty(sealedValue))
        {
            return false;
        }

        int maxDecoded = (sealedValue.Length / 4 * 3) + 3;
        byte[]? rented = null;
        Span<byte> buffer = maxDecoded * 2 <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(maxDecoded * 2));
        scoped Span<byte> plain = default;
        try
        {
            if (!Convert.TryFromBase64String(sealedValue, buffer[..maxDecoded], out int length) || length < NonceSize + TagSize)
            {
                return false;
            }

            var sealedBytes = buffer[..length];
            plain = buffer.Slice(maxDecoded, length - NonceSize - TagSize);
            using (var aes = new AesGcm(key32, TagSize))
            {
                aes.Decrypt(sealedBytes[..NonceSize], sealedBytes[NonceSize..^TagSize], sealedBytes[^TagSize..], plain, associatedData);
            }

            plaintext = Encoding.UTF8.GetString(plain);
            return true;
        }
        catch (CryptographicException)
        {
            // AuthenticationTagMismatchException derives from it: wrong key, wrong associated data, tampering.
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
