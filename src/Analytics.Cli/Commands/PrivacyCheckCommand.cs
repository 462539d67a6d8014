using System.CommandLine;
using System.Globalization;
using System.Text;
using Analytics.Privacy;
using Analytics.Storage;
using Analytics.Storage.ChDb;

namespace Analytics.Cli.Commands;

/// <summary>
/// <c>analytics privacy-check</c>: scans every string column of every table for identifiers (the scrubbers' rules plus
/// raw User-Agents), lists the visitor keys and their ages (never material) and every table's retention, and exits
/// non-zero on any finding.
/// </summary>
public static class PrivacyCheckCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "chDB data directory", DefaultValueFactory = _ => ".data/chdb" };
        var database = new Option<string>("--database") { Description = "Database", DefaultValueFactory = _ => "analytics" };
        var command = new Command("privacy-check", "Scan the store for identifiers, list visitor keys and retention; non-zero exit on any finding")
        {
            data, database,
        };
        command.SetAction((parse, ct) => RunAsync(StoreSchema.Options(parse.GetValue(data)!, parse.GetValue(database)!), Console.Out, ct));
        return command;
    }

    /// <summary>Runs the check on the store at <paramref name="options"/>, writes the report; exit code 0 clean, 1 findings, 3 no store.</summary>
    public static async Task<int> RunAsync(ChDbOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ChDbStore store;
        try
        {
            store = new ChDbStore(options);
        }
        catch (Exception ex) when (ex is AnalyticsStoreException or ArgumentException)
        {
            await Console.Error.WriteLineAsync("privacy-check: " + ex.Message);
            return ExitCodes.Unreachable;
        }

        await using (store)
        {
            var report = await PrivacyCheck.RunAsync(store, TimeProvider.System, cancellationToken);
            await output.WriteAsync(report.Text);
            return report.Findings.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }
    }
}

/// <summary>One thing the privacy check objects to: where, and what kind (never the value itself).</summary>
public sealed record PrivacyFinding(string Table, string? Column, string Kind, long Values);

/// <summary>The privacy check's result: findings and a readable report.</summary>
public sealed record PrivacyReport(IReadOnlyList<PrivacyFinding> Findings, string Text);

/// <summary>The scan behind <c>analytics privacy-check</c>.</summary>
public static class PrivacyCheck
{
    /// <summary>Most distinct values read per column.</summary>
    public const int MaxValuesPerColumn = 200_000;

    /// <summary>Keys live until their day ended 24 h ago (site-local); allow the widest UTC offset and a maintenance tick.</summary>
    public static readonly TimeSpan MaxKeyAge = TimeSpan.FromHours(48 + 14 + 1);

    // Columns whose values look like tokens by construction and hold nothing about a visitor.
    private static readonly Dictionary<(string Table, string Column), string> Exempt = new()
    {
        [("schema_migrations", "checksum")] = "SHA-256 of a migration file",
        [("visitor_keys", "sealed_key")] = "day keys sealed under the master key; listed below without material",
    };

    /// <summary>Runs the check on the store's current database.</summary>
    public static async Task<PrivacyReport> RunAsync(IAnalyticsStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var findings = new List<PrivacyFinding>();
        var text = new StringBuilder();
        var tables = await StoreSchema.ReadAsync(store, cancellationToken);
        var stored = tables.Where(t => t.IsMergeTree).ToList();

        text.AppendLine("Retention (TTL) of every table:");
        foreach (var t in stored)
        {
            var ttl = t.Ttl ?? (t.Name == "schema_migrations" ? "none needed (migration ledger)" : null);
            text.AppendLine($"  {t.Name,-28} {ttl ?? "NONE  <-- finding: rows are kept forever"}");
            if (ttl is null) findings.Add(new PrivacyFinding(t.Name, null, "no_ttl", 0));
        }

        text.AppendLine().AppendLine("Visitor keys (no material):");
        if (stored.Any(t => t.Name == "visitor_keys"))
        {
            var keys = await store.QueryAsync(StoreQueries.Get("privacy_key_list"), new Dictionary<string, string>(), cancellationToken);
            if (keys.Count == 0) text.AppendLine("  none");
            var now = time.GetUtcNow();
            foreach (var k in keys)
            {
                var site = k.GetProperty("site").GetString()!;
                var day = DateOnly.ParseExact(k.GetProperty("day").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                var created = DateTimeOffset.Parse(k.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                var age = now - new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                var overdue = age > MaxKeyAge;
                text.AppendLine($"  site {site}, day {day:yyyy-MM-dd}: created {created:yyyy-MM-dd HH:mm} UTC by {k.GetProperty("created_by").GetString()}, " +
                    $"day began {Age(age)} ago{(overdue ? "  <-- finding: past its 48 h" : "")}");
                if (overdue) findings.Add(new PrivacyFinding("visitor_keys", null, "key_past_48h", 1));
            }
        }
        else
        {
            text.AppendLine("  (no visitor_keys table)");
        }

        text.AppendLine().AppendLine("Identifier scan of string columns (e-mail, phone, IP, UUID, JWT, token, long numbers, raw User-Agent):");
        int columnsScanned = 0;
        long valuesScanned = 0;
        foreach (var t in stored)
        {
            foreach (var c in t.Columns)
            {
                if (!IsText(c.Type)) continue;
                if (Exempt.TryGetValue((t.Name, c.Name), out var why))
                {
                    text.AppendLine($"  skipped {t.Name}.{c.Name}: {why}");
                    continue;
                }

                if (!StorageIdentifiers.IsValidIdentifier(t.Name) || !StorageIdentifiers.IsValidIdentifier(c.Name)) continue;
                var expression = c.Type.StartsWith("Array(", StringComparison.Ordinal) ? $"arrayJoin(`{c.Name}`)" : $"toString(`{c.Name}`)";
                var rows = await store.QueryAsync(
                    $"SELECT DISTINCT {expression} AS v FROM `{t.Name}` WHERE notEmpty(v) LIMIT {MaxValuesPerColumn}",
                    new Dictionary<string, string>(), cancellationToken);
                columnsScanned++;
                valuesScanned += rows.Count;
                var kinds = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var row in rows)
                {
                    if (IdentifierScanner.Find(row.GetProperty("v").GetString(), urlPath: c.Name == "path") is { } kind) kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                }

                foreach (var (kind, count) in kinds.OrderBy(k => k.Key, StringComparer.Ordinal))
                {
                    findings.Add(new PrivacyFinding(t.Name, c.Name, kind, count));
                    text.AppendLine($"  FINDING {t.Name}.{c.Name}: {count} distinct value(s) with {kind}");
                }

                if (rows.Count >= MaxValuesPerColumn) text.AppendLine($"  note: {t.Name}.{c.Name} has more than {MaxValuesPerColumn} distinct values; scanned the first {MaxValuesPerColumn}");
            }
        }

        text.AppendLine($"  {columnsScanned} columns, {valuesScanned} distinct values scanned");
        text.AppendLine().AppendLine(findings.Count == 0
            ? "Result: clean (no identifiers, every table has a retention, no key past its 48 h)."
            : $"Result: {findings.Count} finding(s).");
        return new PrivacyReport(findings, text.ToString());
    }

    private static bool IsText(string type) =>
        type.Contains("String", StringComparison.Ordinal) && !type.StartsWith("AggregateFunction", StringComparison.Ordinal)
        && !type.StartsWith("SimpleAggregateFunction(sum", StringComparison.Ordinal) && !type.StartsWith("Map(", StringComparison.Ordinal);

    private static string Age(TimeSpan age) => age.TotalHours >= 1 ? $"{(int)age.TotalHours} h {age.Minutes} min" : $"{age.Minutes} min";
}
