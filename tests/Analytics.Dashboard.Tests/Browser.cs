using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Analytics.Dashboard.Tests;

/// <summary>Headless Chromium from Debian's packages (scripts/setup-browser.sh), with a fresh profile each time.</summary>
internal sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    // Headless Chromium says "HeadlessChrome" in its User-Agent, which the anonymizer rightly flags as a bot (stored,
    // never counted). The tests stand in for a shopper, so they present an ordinary desktop Chrome.
    private const string ShopperAgent =
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

    private readonly string _profile;

    public Browser()
    {
        _profile = Path.Combine(Path.GetTempPath(), "analytics-dashboard-tests", "profile-" + Guid.NewGuid().ToString("N"));
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + _profile, "--window-size=1280,900", "--user-agent=" + ShopperAgent,
            "--lang=en-US", "--disable-dev-shm-usage");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    public ChromeDriver Driver { get; }

    /// <summary>Why browser tests cannot run here, or null when Chromium and its driver are installed.</summary>
    public static string? Missing() =>
        File.Exists(ChromiumPath) && File.Exists(DriverPath)
            ? null
            : "Chromium is not installed (/usr/bin/chromium, /usr/bin/chromedriver): run scripts/setup-browser.sh";

    public object? Js(string script, params object[] args) => Driver.ExecuteScript(script, args);

    /// <summary>Polls <paramref name="condition"/> until it holds (a page signal, not a fixed sleep).</summary>
    public void WaitFor(Func<bool> condition, string what, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                if (condition()) return;
            }
            catch (WebDriverException) when (DateTime.UtcNow < until)
            {
            }

            if (DateTime.UtcNow > until) throw new TimeoutException("Timed out waiting for " + what);
            Thread.Sleep(100);
        }
    }

    public void Open(Uri url)
    {
        Driver.Navigate().GoToUrl(url);
        WaitFor(() => (string?)Js("return document.readyState") == "complete", "page load of " + url.AbsolutePath);
    }

    /// <summary>Saves a screenshot of the whole page (the window grown to the page's height) and returns its path.</summary>
    public string Screenshot(string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var height = Convert.ToInt32(Js("return Math.min(4000, Math.max(900, document.documentElement.scrollHeight))"), System.Globalization.CultureInfo.InvariantCulture);
        Driver.Manage().Window.Size = new System.Drawing.Size(1280, height);
        var path = Path.Combine(directory, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        Driver.Manage().Window.Size = new System.Drawing.Size(1280, 900);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        catch (WebDriverException)
        {
        }

        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
