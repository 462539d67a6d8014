using System.Buffers;

namespace Analytics.Storage;

/// <summary>Checks for the few values the store has to place into SQL text itself (everything else is bound).</summary>
public static class StorageIdentifiers
{
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    private static readonly SearchValues<char> IdentifierChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>Longest accepted deduplication token.</summary>
    public const int MaxTokenLength = 200;

    /// <summary>Whether <paramref name="token"/> is a valid insert deduplication token: 1–200 of <c>[A-Za-z0-9._:-]</c>.</summary>
    public static bool IsValidDeduplicationToken(string? token) =>
        !string.IsNullOrEmpty(token) && token.Length <= MaxTokenLength && !token.AsSpan().ContainsAnyExcept(TokenChars);

    /// <summary>Whether <paramref name="name"/> is a plain identifier (<c>[A-Za-z_][A-Za-z0-9_]*</c>, at most 64 chars).</summary>
    public static bool IsValidIdentifier(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && !char.IsAsciiDigit(name[0]) &&
        !name.AsSpan().ContainsAnyExcept(IdentifierChars);

    internal static void ThrowIfInvalidToken(string token)
    {
        if (!IsValidDeduplicationToken(token))
        {
            throw new ArgumentException(
                $"A deduplication token is 1-{MaxTokenLength} characters of [A-Za-z0-9._:-].", nameof(token));
        }
    }
}
