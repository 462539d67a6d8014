using System.Globalization;
using System.Text.RegularExpressions;

namespace Analytics.Storage;

/// <summary>Maps the engine's error text (chDB or server) to <see cref="AnalyticsStoreException"/> without leaking row data.</summary>
internal static partial class EngineErrors
{
    private const int MaxMessageLength = 2000;

    /// <param name="engineMessage">The text chdb_result_error returned.</param>
    /// <param name="mayEchoRowData">
    /// True for inserts: the engine quotes the offending input ("Cannot parse date here: …"), so only the error code,
    /// its name and the column are kept.
    /// </param>
    /// <param name="source">Prefix naming the engine in the message.</param>
    public static AnalyticsStoreException FromEngine(string engineMessage, bool mayEchoRowData, string source = "chDB")
    {
        var text = engineMessage.Trim();
        int? code = null;
        var codeMatch = CodePattern().Match(text);
        if (codeMatch.Success && int.TryParse(codeMatch.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            code = parsed;
        }

        var nameMatch = NamePattern().Match(text);
        var name = nameMatch.Success ? nameMatch.Groups[1].Value : null;

        if (mayEchoRowData)
        {
            var column = ColumnPattern().Match(text);
            var where = column.Success ? $" (column {column.Groups[1].Value})" : "";
            return new AnalyticsStoreException(
                $"{source} rejected the insert: {name ?? "error"}{(code is { } c ? $", code {c}" : "")}{where}.", code, name);
        }

        if (text.Length > MaxMessageLength)
        {
            text = string.Concat(text.AsSpan(0, MaxMessageLength), "…");
        }

        return new AnalyticsStoreException(source + ": " + text, code, name);
    }

    [GeneratedRegex(@"^Code: (\d+)\.")]
    private static partial Regex CodePattern();

    // The error name closes the first line of the message: "... (CANNOT_PARSE_DATE)" possibly followed by a version.
    [GeneratedRegex(@"\(([A-Z][A-Z0-9_]+)\)(?:\s*\(version [^)]*\))?\s*$")]
    private static partial Regex NamePattern();

    // Column names are ours (snake_case identifiers), never row data.
    [GeneratedRegex(@"(?:value of key|name:) ([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ColumnPattern();
}
