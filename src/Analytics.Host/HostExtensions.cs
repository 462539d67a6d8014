using Microsoft.Extensions.FileProviders;

namespace Analytics.Host;

internal static class HostExtensions
{
    /// <summary>Serves the demo storefront (wwwroot/demo) at /demo/ so a newcomer sees events flow from a browser.</summary>
    public static WebApplication UseDemoStore(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(root)) return app;
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        return app;
    }
}

internal static class StartupBanner
{
    public static void Print(WebApplication app)
    {
        var url = app.Urls.FirstOrDefault() ?? "http://127.0.0.1:8080";
        Console.WriteLine($"""

            Analytics is running (one process, embedded store).
              Demo store:   {url}/demo/
              Dashboard:    {url}/dashboard/
              Stats API:    {url}/v1/stats/pages?site=demo
              Collector:    POST {url}/v1/events
              Health:       {url}/healthz    Metrics: {url}/metrics

            """);
    }
}
