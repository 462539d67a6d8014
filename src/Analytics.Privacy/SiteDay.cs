namespace Analytics.Privacy;

/// <summary>The calendar day of an instant as seen by a site (its configured time zone).</summary>
public static class SiteDay
{
    /// <summary>Returns the site-local calendar date of <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    /// <param name="instant">Any instant (its offset is irrelevant).</param>
    /// <param name="zone">The site's time zone.</param>
    public static DateOnly For(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
    }

    /// <summary>
    /// Returns the first instant (to the second) whose site-local date is <paramref name="day"/> or later,
    /// i.e. when <paramref name="day"/> begins in <paramref name="zone"/>. Correct across DST transitions,
    /// including zones whose clocks skip local midnight.
    /// </summary>
    /// <param name="day">Site-local calendar date.</param>
    /// <param name="zone">The site's time zone.</param>
    public static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        // UTC offsets lie within [-14 h, +14 h], so the start is within 15 h of midnight read as UTC.
        // Binary search on whole seconds is exact for every real zone and cheap (~17 conversions).
        var midnightUtc = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        long lo = -15 * 3600, hi = 15 * 3600; // For(lo) < day <= For(hi)
        while (hi - lo > 1)
        {
            long mid = lo + ((hi - lo) / 2);
            if (For(midnightUtc.AddSeconds(mid), zone) >= day)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return midnightUtc.AddSeconds(hi);
    }
}
