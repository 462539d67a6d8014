using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Analytics.Security;

/// <summary>
/// API keys are 32 random bytes (base64url); only their SHA-256 is stored. A single fast hash is right for such keys:
/// with 256 bits of entropy there is nothing to guess, so a stolen hash cannot be reversed by trying keys, and a
/// fast hash keeps every authenticated request cheap. Passwords are the opposite case (low entropy, guessable), so
/// they get a slow, salted PBKDF2 hash (see <see cref="PasswordHashes"/>).
/// </summary>
public static class ApiKeyHash
{
    /// <summary>Length of a stored hash in bytes.</summary>
    public const int HashBytes = 32;

    /// <summary>Keys longer than this are refused before hashing (no key we issue comes close).</summary>
    public const int MaxKeyLength = 256;

    /// <summary>A new key: 32 bytes from the OS CSPRNG, base64url without padding (43 characters, one word).</summary>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>The stored form of <paramref name="key"/>: lower-case hex SHA-256 of its UTF-8 text (as <c>printf %s KEY | sha256sum</c>).</summary>
    public static string Hash(string key)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        Compute(key, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Parses a stored hex hash; false unless it is exactly 64 hex characters.</summary>
    public static bool TryParse(string? hex, out byte[] hash)
    {
        hash = [];
        if (hex is null || hex.Length != HashBytes * 2) return false;
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        hash = Convert.FromHexString(hex);
        return true;
    }

    /// <summary>SHA-256 of the UTF-8 text of <paramref name="key"/> into <paramref name="destination"/> (32 bytes).</summary>
    public static void Compute(string key, Span<byte> destination)
    {
        var max = Encoding.UTF8.GetMaxByteCount(Math.Min(key.Length, MaxKeyLength));
        Span<byte> utf8 = max <= 1024 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(key.AsSpan(0, Math.Min(key.Length, MaxKeyLength)), utf8);
        SHA256.HashData(utf8[..length], destination);
        CryptographicOperations.ZeroMemory(utf8);
    }

    /// <summary>
    /// Whether two hashes are equal, in time that depends only on their length, so response timing reveals nothing
    /// about how much of a presented key's hash matched a stored one.
    /// </summary>
    public static bool FixedTimeEquals(ReadOnlySpan<byte> presented, ReadOnlySpan<byte> stored) =>
        CryptographicOperations.FixedTimeEquals(presented, stored);
}

/// <summary>
/// Dashboard passwords use ASP.NET Core Identity's <c>PasswordHasher</c>: PBKDF2 (HMAC-SHA512, 100 000 iterations in
/// format v3) with a random salt, because passwords are guessable and a stolen hash must be slow to attack.
/// </summary>
public static class PasswordHashes
{
    /// <summary>Whether <paramref name="hash"/> has the shape of a <c>PasswordHasher</c> output (v2: 49 bytes; v3: at least 61).</summary>
    public static bool LooksValid(string? hash)
    {
        if (string.IsNullOrWhiteSpace(hash)) return false;
        var buffer = new byte[hash.Length];
        if (!Convert.TryFromBase64String(hash, buffer, out var length)) return false;
        return (buffer[0] == 0x00 && length == 49) || (buffer[0] == 0x01 && length >= 61);
    }
}
