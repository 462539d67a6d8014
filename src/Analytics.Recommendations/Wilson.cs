namespace Analytics.Recommendations;

/// <summary>Wilson score interval of a proportion, well-behaved for small counts and rates near 0 (unlike p ± z·SE).</summary>
public static class Wilson
{
    /// <summary>z of a two-sided 95 % interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The interval of <paramref name="successes"/> / <paramref name="trials"/>; (0, 1) when there are no trials.
    /// Successes above trials (clicks without a recorded impression) are capped at trials.
    /// </summary>
    public static (double Low, double High) Interval(long successes, long trials, double z = Z95)
    {
        if (trials <= 0) return (0, 1);
        var n = (double)trials;
        var p = Math.Clamp(successes, 0, trials) / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
