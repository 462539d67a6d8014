using System.Text;

namespace Analytics.Privacy;

/// <summary>
/// Scrubs free text (page titles, labels): control characters become spaces, whitespace runs collapse,
/// and personal data is replaced by placeholders — e-mail <c>[email]</c>, phone <c>[phone]</c>, IPv4/IPv6
/// <c>[ip]</c>, UUID <c>[uuid]</c>, JWT <c>[jwt]</c>, long hex or opaque tokens <c>[token]</c>, runs of 9+
/// digits <c>[number]</c>. The output is capped at <see cref="MaxLength"/> characters and idempotent.
/// </summary>
public static class TextScrubber
{
    /// <summary>Maximum length of a scrubbed text.</summary>
    public const int MaxLength = 300;

    // Work bound: longer input is cut (at a space when possible) before the rules run.
    private const int MaxInputLength = MaxLength * 4;

    /// <summary>Returns <paramref name="text"/> with personal data replaced; empty for null or blank input.</summary>
    /// <param name="text">Free text, e.g. <c>document.title</c>.</param>
    /// <param name="counters">Optional counters to record what was removed.</param>
    public static string Scrub(string text, ScrubCounters? counters = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        string normalized = Normalize(text);
        string scrubbed = PiiRules.Apply(normalized, counters);
        return Truncate(scrubbed, MaxLength);
    }

    /// <summary>Cuts <paramref name="value"/> to at most <paramref name="max"/> chars without splitting a surrogate pair.</summary>
    internal static string Truncate(string value, int max)
    {
        if (value.Length <= max)
        {
            return value;
        }

        int cut = char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
        return value[..cut].TrimEnd();
    }

    private static string Normalize(string text)
    {
        var source = text.AsSpan();
        if (source.Length > MaxInputLength)
        {
            // Cut at a space so no value is split into a fragment that the rules no longer recognise.
            int space = source[..MaxInputLength].LastIndexOf(' ');
            source = source[..(space > MaxInputLength / 2 ? space : MaxInputLength)];
        }

        if (!NeedsNormalizing(source) && source.Length == text.Length)
        {
            return text;
        }

        var builder = new StringBuilder(source.Length);
        bool pendingSpace = false;
        foreach (char c in source)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool NeedsNormalizing(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
        {
            return !text.IsEmpty;
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsControl(c) || (char.IsWhiteSpace(c) && (c != ' ' || text[i + 1] == ' ')))
            {
                return true;
            }
        }

        return false;
    }
}
