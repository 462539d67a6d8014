using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Analytics.Storage;

/// <summary>One numbered migration, <c>Migrations/NNN_name.sql</c>, split into statements.</summary>
public sealed record SchemaMigration(int Version, string Name, string Checksum, IReadOnlyList<string> Statements);

/// <summary>
/// The embedded migrations and the runner both backends share. Applied versions are recorded in
/// <c>schema_migrations</c>; every statement is written to be re-runnable (<c>IF NOT EXISTS</c>), so a migration
/// interrupted half-way is simply applied again.
/// </summary>
public static partial class SchemaMigrations
{
    private const string CreateLedger = """
        CREATE TABLE IF NOT EXISTS schema_migrations
        (
            version    UInt32,
            name       String,
            checksum   String,
            applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
        )
        ENGINE = ReplacingMergeTree
        ORDER BY version
        """;

    private const string ReadLedger = "SELECT version, any(checksum) AS checksum FROM schema_migrations GROUP BY version";

    private const string Record =
        "INSERT INTO schema_migrations (version, name, checksum) SELECT {version:UInt32}, {name:String}, {checksum:String}";

    private static readonly Lazy<IReadOnlyList<SchemaMigration>> Embedded = new(LoadEmbedded);

    /// <summary>The embedded migrations in version order.</summary>
    public static IReadOnlyList<SchemaMigration> All => Embedded.Value;

    /// <summary>Applies the migrations <paramref name="store"/> has not recorded yet, in order.</summary>
    /// <returns>The versions applied by this call.</returns>
    public static async Task<IReadOnlyList<int>> ApplyAsync(IAnalyticsStore store, ILogger logger, CancellationToken cancellationToken)
    {
        var none = FrozenDictionary<string, string>.Empty;
        await store.ExecuteAsync(CreateLedger, none, cancellationToken);
        var applied = new Dictionary<int, string>();
        foreach (var row in await store.QueryAsync(ReadLedger, none, cancellationToken))
        {
            applied[row.GetProperty("version").GetInt32()] = row.GetProperty("checksum").GetString() ?? "";
        }

        var newlyApplied = new List<int>();
        foreach (var migration in All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (applied.TryGetValue(migration.Version, out var checksum))
            {
                if (!string.Equals(checksum, migration.Checksum, StringComparison.Ordinal))
                {
                    Log.ChangedAfterApplied(logger, migration.Version, migration.Name);
                }

                continue;
            }

            foreach (var statement in migration.Statements)
            {
                await store.ExecuteAsync(statement, none, cancellationToken);
            }

            await store.ExecuteAsync(Record, new Dictionary<string, string>
            {
                ["version"] = migration.Version.ToString(CultureInfo.InvariantCulture),
                ["name"] = migration.Name,
                ["checksum"] = migration.Checksum,
            }, cancellationToken);
            Log.Applied(logger, migration.Version, migration.Name);
            newlyApplied.Add(migration.Version);
        }

        return newlyApplied;
    }

    private static List<SchemaMigration> LoadEmbedded()
    {
        var assembly = typeof(SchemaMigrations).Assembly;
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            var text = ReadResource(assembly, resource);
            migrations.Add(new SchemaMigration(
                int.Parse(match.Groups["version"].ValueSpan, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))),
                SqlScript.Split(text)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations share version {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    internal static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // MSBuild names Migrations/001_events.sql "Analytics.Storage.Migrations.001_events.sql".
    [GeneratedRegex(@"\.Migrations\._?(?<version>\d+)_(?<name>[A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Applied migration {Version} {Name}")]
        public static partial void Applied(ILogger logger, int version, string name);

        [LoggerMessage(2, LogLevel.Warning, "Migration {Version} {Name} changed after it was applied; the change is not applied. Add a new migration instead")]
        public static partial void ChangedAfterApplied(ILogger logger, int version, string name);
    }
}

/// <summary>Splits a SQL script into statements at top-level semicolons, dropping comments-only pieces.</summary>
internal static class SqlScript
{
    public static List<string> Split(string script)
    {
        var statements = new List<string>();
        var start = 0;
        var i = 0;
        var hasCode = false;
        while (i < script.Length)
        {
            var c = script[i];
            if (c == '-' && i + 1 < script.Length && script[i + 1] == '-')
            {
                var end = script.IndexOf('\n', i);
                i = end < 0 ? script.Length : end + 1;
                continue;
            }

            if (c == '/' && i + 1 < script.Length && script[i + 1] == '*')
            {
                var end = script.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? script.Length : end + 2;
                continue;
            }

            if (c is '\'' or '"' or '`')
            {
                i = SkipQuoted(script, i);
                hasCode = true;
                continue;
            }

            if (c == ';')
            {
                Add(statements, script[start..i], hasCode);
                start = i + 1;
                hasCode = false;
            }
            else if (!char.IsWhiteSpace(c))
            {
                hasCode = true;
            }

            i++;
        }

        Add(statements, script[start..], hasCode);
        return statements;
    }

    private static int SkipQuoted(string script, int open)
    {
        var quote = script[open];
        for (var i = open + 1; i < script.Length; i++)
        {
            if (script[i] == '\\')
            {
                i++;
            }
            else if (script[i] == quote)
            {
                if (i + 1 < script.Length && script[i + 1] == quote)
                {
                    i++;
                    continue;
                }

                return i + 1;
            }
        }

        return script.Length;
    }

    private static void Add(List<string> statements, string piece, bool hasCode)
    {
        if (hasCode)
        {
            statements.Add(piece.Trim());
        }
    }
}
