using System.Globalization;

namespace Analytics.Cli.Evaluation;

/// <summary>One session of a log: item ids and their times (Unix seconds), in time order.</summary>
public sealed record LoggedSession(string Id, IReadOnlyList<string> Items, IReadOnlyList<double> Times);

/// <summary>
/// Reads a session log in the format of session-based recommendation benchmarks (GRU4Rec, session-rec): tab- or
/// comma-separated text with a header naming <c>SessionId</c>, <c>ItemId</c> and <c>Time</c> (Unix seconds).
/// </summary>
public static class SessionLog
{
    public static async Task<IReadOnlyList<LoggedSession>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path);
        var header = await reader.ReadLineAsync(cancellationToken) ?? throw new InvalidDataException($"{path}: empty file.");
        var separator = header.Contains('\t', StringComparison.Ordinal) ? '\t' : header.Contains(';', StringComparison.Ordinal) ? ';' : ',';
        var names = header.Split(separator).Select(n => n.Trim()).ToList();
        int Column(string name) => names.FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0
            ? i : throw new InvalidDataException($"{path}: no '{name}' column (header: {header}).");
        var (cs, ci, ct) = (Column("SessionId"), Column("ItemId"), Column("Time"));
        var rows = new Dictionary<string, List<(double Time, long Line, string Item)>>(StringComparer.Ordinal);
        long line = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var parts = text.Split(separator);
            if (!double.TryParse(parts[ct], NumberStyles.Float, CultureInfo.InvariantCulture, out var time))
            {
                throw new InvalidDataException($"{path}: line {line + 1}: Time is not a number.");
            }

            if (!rows.TryGetValue(parts[cs], out var list)) rows[parts[cs]] = list = [];
            list.Add((time, line, parts[ci]));
        }

        return rows.Select(kv =>
        {
            var sorted = kv.Value.OrderBy(x => x.Time).ThenBy(x => x.Line).ToList();
            return new LoggedSession(kv.Key, sorted.Select(x => x.Item).ToList(), sorted.Select(x => x.Time).ToList());
        }).OrderBy(s => s.Times[0]).ToList();
    }

    /// <summary>Writes sessions in the benchmark format (tab-separated, header SessionId, ItemId, Time).</summary>
    public static async Task WriteAsync(string path, IEnumerable<LoggedSession> sessions, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path);
        await writer.WriteLineAsync("SessionId\tItemId\tTime".AsMemory(), cancellationToken);
        foreach (var s in sessions)
        {
            for (var i = 0; i < s.Items.Count; i++)
            {
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{s.Id}\t{s.Items[i]}\t{s.Times[i]:0.000}").AsMemory(), cancellationToken);
            }
        }
    }
}
