using Analytics.Anonymizer;
using Analytics.Collector;
using Analytics.Dashboard;
using Analytics.Security;
using Analytics.ServiceDefaults;
using Analytics.Stats;
using Analytics.Storage;
using Analytics.Transport;
using Microsoft.Extensions.Configuration;

namespace Analytics.Host;

/// <summary>
/// The one-process host: collector → in-process channel → anonymizer → chDB → stats API and dashboard. Program.cs
/// runs it; end-to-end tests build the same app with configuration overrides.
/// </summary>
public static class AnalyticsHost
{
    /// <summary>Composes the app; <paramref name="overrides"/> win over every other configuration source.</summary>
    public static WebApplication Create(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        builder.AddServiceDefaults();
        builder.Services.AddInProcessTransport();
        builder.Services.AddAnalyticsStorage();
        builder.AddCollector();
        builder.AddAnonymizer();
        builder.AddStats();
        builder.AddAnalyticsSecurity();

        var app = builder.Build();
        app.UseAnalyticsSecurity();
        app.UseDemoStore();
        app.MapDefaultEndpoints();
        app.MapCollectorEndpoints();
        app.MapAuthEndpoints();
        app.MapStatsEndpoints().RequireAuthorization(Policies.ReadStats);
        app.MapDashboard();
        app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
        return app;
    }
}
