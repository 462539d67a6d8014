namespace Analytics.Privacy.Tests;

public sealed class SiteDayTests
{
    private static TimeZoneInfo? Find(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
    }

    [Fact]
    public void The_day_is_the_sites_local_calendar_date()
    {
        var instant = new DateTimeOffset(2024, 3, 10, 23, 30, 0, TimeSpan.Zero);
        var plusTwo = TimeZoneInfo.CreateCustomTimeZone("T+2", TimeSpan.FromHours(2), "T+2", "T+2");
        var minusEight = TimeZoneInfo.CreateCustomTimeZone("T-8", TimeSpan.FromHours(-8), "T-8", "T-8");

        Assert.Equal(new DateOnly(2024, 3, 10), SiteDay.For(instant, TimeZoneInfo.Utc));
        Assert.Equal(new DateOnly(2024, 3, 11), SiteDay.For(instant, plusTwo));
        Assert.Equal(new DateOnly(2024, 3, 10), SiteDay.For(instant, minusEight));
        Assert.Equal(new DateOnly(2024, 3, 11), SiteDay.For(instant.ToOffset(TimeSpan.FromHours(5)), plusTwo));
    }

    [Fact]
    public void StartOf_is_local_midnight_in_fixed_zones()
    {
        var plusTen = TimeZoneInfo.CreateCustomTimeZone("T+10", TimeSpan.FromHours(10), "T+10", "T+10");
        Assert.Equal(new DateTimeOffset(2024, 3, 9, 14, 0, 0, TimeSpan.Zero), SiteDay.StartOf(new DateOnly(2024, 3, 10), plusTen));
        Assert.Equal(new DateTimeOffset(2024, 3, 10, 0, 0, 0, TimeSpan.Zero), SiteDay.StartOf(new DateOnly(2024, 3, 10), TimeZoneInfo.Utc));
    }

    [Fact]
    public void StartOf_handles_daylight_saving_days()
    {
        var berlin = Find("Europe/Berlin");
        Assert.SkipWhen(berlin is null, "No tz database on this machine (Europe/Berlin not found).");

        // 31 March 2024 has 23 hours in Berlin.
        var start = SiteDay.StartOf(new DateOnly(2024, 3, 31), berlin!);
        var end = SiteDay.StartOf(new DateOnly(2024, 4, 1), berlin!);
        Assert.Equal(new DateTimeOffset(2024, 3, 30, 23, 0, 0, TimeSpan.Zero), start);
        Assert.Equal(TimeSpan.FromHours(23), end - start);
    }

    [Fact]
    public void StartOf_handles_a_zone_that_skips_midnight()
    {
        var santiago = Find("America/Santiago");
        Assert.SkipWhen(santiago is null, "No tz database on this machine (America/Santiago not found).");

        // Chile moved clocks from 00:00 to 01:00 on 8 September 2024: the day began at 04:00 UTC (01:00 -03).
        Assert.Equal(new DateTimeOffset(2024, 9, 8, 4, 0, 0, TimeSpan.Zero), SiteDay.StartOf(new DateOnly(2024, 9, 8), santiago!));
    }
}
