using System.Globalization;

namespace Analytics.Privacy;

/// <summary>
/// Turns a reported screen size into a coarse class. The exact resolution is a fingerprinting signal
/// and is never kept.
/// </summary>
public static class ScreenClassifier
{
    /// <summary>Widths below this are <c>mobile</c>.</summary>
    public const int TabletMinWidth = 768;

    /// <summary>Widths below this (and at least <see cref="TabletMinWidth"/>) are <c>tablet</c>.</summary>
    public const int DesktopMinWidth = 1024;

    private const int MaxDimension = 20_000;

    /// <summary>
    /// Classifies <c>"WIDTHxHEIGHT"</c> (CSS pixels, e.g. <c>"1920x1080"</c>) by width: <c>mobile</c> below 768,
    /// <c>tablet</c> below 1024, else <c>desktop</c>; <c>unknown</c> for anything malformed or implausible.
    /// </summary>
    /// <param name="screen">The beacon's screen field.</param>
    public static string Classify(string screen)
    {
        if (string.IsNullOrWhiteSpace(screen))
        {
            return "unknown";
        }

        var span = screen.AsSpan().Trim();
        int x = span.IndexOfAny('x', 'X');
        if (x <= 0
            || !int.TryParse(span[..x], NumberStyles.None, CultureInfo.InvariantCulture, out int width)
            || !int.TryParse(span[(x + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int height)
            || width is <= 0 or > MaxDimension
            || height is <= 0 or > MaxDimension)
        {
            return "unknown";
        }

        return width < TabletMinWidth ? "mobile" : width < DesktopMinWidth ? "tablet" : "desktop";
    }
}
