using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net.Sockets;

namespace Analytics.Cli.Commands;

/// <summary>Option builders and helpers shared by the commands.</summary>
internal static class CliOptions
{
    public static Option<Uri> Url(string defaultUrl, string description) => new("--url")
    {
        Description = description,
        DefaultValueFactory = _ => new Uri(defaultUrl),
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : defaultUrl;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
            r.AddError($"--url: '{text}' is not an absolute http(s) URL.");
            return null!;
        },
    };

    public static Option<TimeSpan> Duration(string name, string defaultValue, string description) => new(name)
    {
        Description = description + " (e.g. 500ms, 10s, 2m)",
        HelpName = "duration",
        DefaultValueFactory = _ => ParseDuration(defaultValue)!.Value,
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : defaultValue;
            if (ParseDuration(text) is { } d && d > TimeSpan.Zero) return d;
            r.AddError($"{name}: '{text}' is not a positive duration such as 500ms, 10s or 2m.");
            return default;
        },
    };

    public static Option<int> PositiveInt(string name, int defaultValue, string description, int max = int.MaxValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<int>();
            if (v < 1 || v > max) r.AddError($"{name} must be between 1 and {max.ToString(CultureInfo.InvariantCulture)}.");
        });
        return option;
    }

    public static Option<double> Share(string name, double defaultValue, string description)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<double>();
            if (v is < 0 or > 1) r.AddError($"{name} must be between 0 and 1.");
        });
        return option;
    }

    public static Option<string?> ApiKey() => new("--api-key")
    {
        Description = "Bearer key for the stats API (default: $ANALYTICS_API_KEY, else .data/dev-api-key.txt)",
    };

    /// <summary>10s, 500ms, 2m, 1h, a bare number of seconds, or a TimeSpan (00:00:10).</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        text = text.Trim();
        (string Suffix, double Factor)[] units = [("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) &&
                double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n))
            {
                return TimeSpan.FromSeconds(n * factor);
            }
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)) return TimeSpan.FromSeconds(seconds);
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;
    }

    /// <summary>The stats API key: the option, else $ANALYTICS_API_KEY, else .data/dev-api-key.txt in this or a parent folder.</summary>
    public static string? ResolveApiKey(string? option)
    {
        if (!string.IsNullOrWhiteSpace(option)) return option.Trim();
        if (Environment.GetEnvironmentVariable("ANALYTICS_API_KEY") is { Length: > 0 } env) return env.Trim();
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, ".data", "dev-api-key.txt");
            if (File.Exists(file)) return File.ReadAllText(file).Trim();
        }
        return null;
    }

    /// <summary>Whether a TCP connection to <paramref name="url"/>'s host and port opens within <paramref name="within"/>, retrying.</summary>
    public static async Task<bool> IsReachableAsync(Uri url, TimeSpan within, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        do
        {
            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                await socket.ConnectAsync(url.DnsSafeHost, url.Port, attempt.Token);
                return true;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (DateTimeOffset.UtcNow >= deadline) return false;
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
        while (true);
    }

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    public static string N(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);
}
