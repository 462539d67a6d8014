extern alias cli;
using cli::Analytics.Cli.Commands;
using Analytics.TestUtilities;

namespace Analytics.EndToEnd.Tests;

/// <summary>docs/data-inventory.md is what the live schema says about itself.</summary>
public sealed class DataInventoryTests(ChDbFixture chdb)
{
    [Fact]
    public async Task Checked_in_inventory_matches_a_freshly_migrated_store()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("inventory", ct);
        var generated = await DataInventory.RenderAsync(store, ct);
        var path = Path.Combine(Repo.Root, "docs", "data-inventory.md");
        var checkedIn = File.Exists(path) ? (await File.ReadAllTextAsync(path, ct)).ReplaceLineEndings("\n") : "";
        if (checkedIn != generated)
        {
            var fresh = Path.Combine(Path.GetTempPath(), "data-inventory.generated.md");
            await File.WriteAllTextAsync(fresh, generated, ct);
            Assert.Fail($"docs/data-inventory.md is out of date with the schema. Regenerate it: analytics inventory --migrate --data <empty dir> " +
                $"--output docs/data-inventory.md (this run's output: {fresh}).");
        }
    }

    [Fact]
    public async Task Every_table_and_column_has_a_purpose()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await chdb.CreateStoreAsync("inventory_comments", ct);
        var missing = (await StoreSchema.ReadAsync(store, ct))
            .Where(t => t.IsMergeTree)
            .SelectMany(t => (string.IsNullOrWhiteSpace(t.Comment) ? [t.Name] : Array.Empty<string>())
                .Concat(t.Columns.Where(c => string.IsNullOrWhiteSpace(c.Comment)).Select(c => $"{t.Name}.{c.Name}")))
            .ToList();
        Assert.True(missing.Count == 0, "add a COMMENT (in a migration) for: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task The_inventory_command_writes_the_markdown_and_exits_zero_when_everything_is_documented()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = ChDbFixture.NewDatabaseName("inventory_cmd");
        var output = Path.Combine(Path.GetTempPath(), $"inventory-{Guid.NewGuid():N}.md");
        using var console = new StringWriter();
        var exit = await InventoryCommand.RunAsync(chdb.OptionsFor(database, poolSize: 1), output, migrate: true, console, ct);
        var markdown = await File.ReadAllTextAsync(output, ct);
        File.Delete(output);
        Assert.Contains("## events", markdown, StringComparison.Ordinal);
        Assert.Contains("| `visitor_key` | `UInt64` |", markdown, StringComparison.Ordinal);
        Assert.Equal(markdown.Contains(DataInventory.Undocumented, StringComparison.Ordinal) ? ExitCodes.Failed : ExitCodes.Ok, exit);
    }
}
