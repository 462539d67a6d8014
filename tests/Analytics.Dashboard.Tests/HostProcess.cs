using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Analytics.Dashboard.Tests;

/// <summary>
/// The real one-process host (collector, anonymizer, chDB, stats, dashboard, auth) as a child process on a free port,
/// with its own temporary working and data directory, so its development login and API key land there too.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private HostProcess(Process process, string workDir, Uri baseUrl)
    {
        _process = process;
        WorkDir = workDir;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }
    public string WorkDir { get; }

    /// <summary>The development dashboard login the host wrote (<c>.data/dev-login.txt</c>: <c>admin PASSWORD</c>).</summary>
    public (string User, string Password) Login
    {
        get
        {
            var parts = File.ReadAllText(Path.Combine(WorkDir, ".data", "dev-login.txt")).Trim().Split(' ', 2);
            return (parts[0], parts[1]);
        }
    }

    /// <summary>The development API key the host wrote (<c>.data/dev-api-key.txt</c>).</summary>
    public string ApiKey => File.ReadAllText(Path.Combine(WorkDir, ".data", "dev-api-key.txt")).Trim();

    public string LogTail
    {
        get
        {
            lock (_log)
            {
                var text = _log.ToString();
                return text.Length > 4000 ? text[^4000..] : text;
            }
        }
    }

    /// <param name="settings">Extra configuration as <c>--Key=value</c> arguments.</param>
    public static async Task<HostProcess> StartAsync(IEnumerable<string> settings, CancellationToken ct)
    {
        var dll = Repo.HostDll;
        if (!File.Exists(dll)) throw new InvalidOperationException($"Host not built at {dll}: build Analytics.sln ({Repo.Configuration}) first.");
        var workDir = Path.Combine(Path.GetTempPath(), "analytics-dashboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workDir);
        var port = FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[dll, "--urls", baseUrl.ToString().TrimEnd('/'), $"--Storage:ChDb:Path={Path.Combine(workDir, "chdb")}", .. settings])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var host = new HostProcess(process, workDir, baseUrl);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) break;
            try
            {
                if ((await http.GetAsync(new Uri("/healthz", UriKind.Relative), ct)).IsSuccessStatusCode
                    && File.Exists(Path.Combine(workDir, ".data", "dev-login.txt"))) return host;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            await Task.Delay(200, ct);
        }

        var tail = host.LogTail;
        await host.DisposeAsync();
        throw new InvalidOperationException("The host did not start. Its log:\n" + tail);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (TimeoutException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
