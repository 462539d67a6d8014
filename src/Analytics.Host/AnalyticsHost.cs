using Analytics.Anonymizer;
using Analytics.Collector;
using Analytics.Dashboard;
using Analytics.Recommendations;
using Analytics.Security;
using Analytics.ServiceDefaults;
using Analytics.Stats;
using Analytics.Storage;
using Analytics.Transport;
using Analytics.Transport.KafkaTransport;
using Microsoft.Extensions.Configuration;

namespace Analytics.Host;

/// <summary>
/// The one-process host: collector → in-process channel → anonymizer → chDB → stats API and dashboard. Program.cs
/// runs it; end-to-end tests build the same app with configuration overrides.
/// </summary>
public static class AnalyticsHost
{
    /// <summary>Composes the app; <paramref name="overrides"/> win over every other configuration source.</summary>
    /// <param name="configure">Last say over the builder before it is built (tests add log capture here).</param>
    public static WebApplication Create(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        builder.AddServiceDefaults();
        builder.Services.AddConfiguredTransport(builder.Configuration); // Transport:Kind = inprocess (default) or kafka
        builder.Services.AddAnalyticsStorage();
        builder.AddCollector();
        builder.AddAnonymizer();
        builder.AddStats();
        builder.AddRecommendations();
        builder.AddAnalyticsSecurity();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseAnalyticsSecurity();
        app.UseDemoStore();
        app.MapDefaultEndpoints();
        app.MapCollectorEndpoints();
        app.MapPrivacyEndpoints();
        app.MapAuthEndpoints();
        app.MapStatsEndpoints().RequireAuthorization(Policies.ReadStats);
        app.MapRecommendationEndpoints(readPolicy: Policies.ReadStats, exportPolicy: Policies.Export);
        app.MapDashboard();
        app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
        return app;
    }
}
