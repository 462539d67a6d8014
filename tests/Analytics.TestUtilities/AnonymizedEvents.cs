using Analytics.Contracts;
using Analytics.Storage;

namespace Analytics.TestUtilities;

/// <summary>Builders for <see cref="AnonymizedEvent"/> rows in tests.</summary>
public static class AnonymizedEvents
{
    /// <summary>Today in UTC: events older than 30 days are dropped by the events table's TTL.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static AnonymizedEvent PageView(string site, DateOnly day, ulong visitor, string path, bool isBot = false) => new()
    {
        Site = site,
        EventId = Guid.NewGuid(),
        Type = EventTypes.PageView,
        Timestamp = day.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc),
        Day = day,
        VisitorKey = visitor,
        Path = path,
        Title = "Title of " + path,
        Browser = "Firefox",
        Os = "Linux",
        Device = "desktop",
        Country = "DE",
        IsBot = isBot,
    };

    public static AnonymizedEvent ProductView(
        string site, DateOnly day, ulong visitor, string productId, string name = "Product", string category = "Category", bool isBot = false) =>
        PageView(site, day, visitor, "/p/" + productId, isBot) with
        {
            Type = EventTypes.ProductView,
            ProductId = productId,
            ProductName = name,
            ProductCategory = category,
            ProductPrice = 19.99m,
            Currency = "EUR",
        };
}
