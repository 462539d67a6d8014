extern alias cli;
using cli::Analytics.Cli.Commands;
using Analytics.Storage;
using Analytics.TestUtilities;

namespace Analytics.EndToEnd.Tests;

/// <summary><c>analytics privacy-check</c> on a real store.</summary>
public sealed class PrivacyCheckTests(ChDbFixture chdb)
{
    [Fact]
    public async Task Passes_on_a_store_holding_only_anonymized_events()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("check_clean", ct);
        var today = AnonymizedEvents.Today;
        await store.InsertEventsAsync(
        [
            AnonymizedEvents.PageView("demo", today, 0x1234_5678_9abc_def0, "/c/face-care") with { Title = "Order for [email], call [phone]", BrowserVersion = "131", Query = "utm_source=news" },
            AnonymizedEvents.ProductView("demo", today, 42, "SKU-1001", "Rose cream", "Care"),
        ], "check-clean-1", ct);

        using var output = new StringWriter();
        var exit = await PrivacyCheckCommand.RunAsync(chdb.OptionsFor(DatabaseOf(store), poolSize: 1), output, ct);
        var report = output.ToString();
        Assert.True(exit == ExitCodes.Ok, report);
        Assert.Contains("Result: clean", report, StringComparison.Ordinal);
        Assert.Contains("events", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("title", "Invoice for jane.doe@example.com", "email")]
    [InlineData("path", "/account/203.0.113.77/orders", "ip")]
    [InlineData("title", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36", "user_agent")]
    [InlineData("query", "token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "jwt")]
    public async Task Fails_naming_table_and_column_when_an_identifier_is_inserted_directly(string column, string canary, string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("check_canary", ct);
        await store.ExecuteAsync(
            column == "path"
                ? "INSERT INTO events (site, event_id, type, ts, day, visitor_key, path) SELECT 'demo', generateUUIDv4(), 'page_view', now64(3), today(), 7, {canary:String}"
                : $"INSERT INTO events (site, event_id, type, ts, day, visitor_key, path, {column}) SELECT 'demo', generateUUIDv4(), 'page_view', now64(3), today(), 7, '/', {{canary:String}}",
            new Dictionary<string, string> { ["canary"] = canary }, ct);

        var report = await PrivacyCheck.RunAsync(store, TimeProvider.System, ct);
        Assert.Contains(report.Findings, f => f.Table == "events" && f.Column == column && f.Kind == kind);
        Assert.Contains($"FINDING events.{column}", report.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(canary, report.Text, StringComparison.Ordinal); // the report never repeats the value

        using var output = new StringWriter();
        Assert.Equal(ExitCodes.Failed, await PrivacyCheckCommand.RunAsync(chdb.OptionsFor(DatabaseOf(store), poolSize: 1), output, ct));
    }

    [Fact]
    public async Task Lists_visitor_keys_with_their_age_and_flags_one_past_48_hours()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("check_keys", ct);
        await store.ExecuteAsync(
            "INSERT INTO visitor_keys (site, day, sealed_key, created_at, created_by) VALUES ('demo', today(), 'c2VhbGVk', now64(3), 'i1'), ('demo', today() - 1, 'c2VhbGVk', now64(3) - INTERVAL 1 DAY, 'i1')",
            new Dictionary<string, string>(), ct);
        var today = AnonymizedEvents.Today;
        var report = await PrivacyCheck.RunAsync(store, TimeProvider.System, ct);
        Assert.Contains("site demo, day " + today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), report.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Kind == "key_past_48h");

        // Two days later, yesterday's key should long be destroyed (its day began 3 days ago).
        var later = new ManualClock(new DateTimeOffset(today.AddDays(2).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        report = await PrivacyCheck.RunAsync(store, later, ct);
        Assert.Single(report.Findings, f => f.Kind == "key_past_48h");
        Assert.DoesNotContain("c2VhbGVk", report.Text, StringComparison.Ordinal);
    }

    private static string DatabaseOf(IAnalyticsStore store) => ((Analytics.Storage.ChDb.ChDbStore)store).Database;
}
