using Analytics.Stats;
using Analytics.Storage;
using Analytics.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Recommendations;

/// <summary>Registers the recommendation job, its optional schedule and what the serving endpoints need.</summary>
public static class RecommendationServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RecommendationOptions"/> (section <c>Recommendations</c>, validated at start) and registers the
    /// job with the stats API's suppression threshold (<c>Stats:MinVisitors</c>), so recommendations and reports hide
    /// the same small cells. Call after <c>AddStats()</c> and <c>AddAnalyticsStorage()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddRecommendations(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RecommendationOptions>().BindConfiguration(RecommendationOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Schedule is null || o.Schedule >= TimeSpan.FromMinutes(1), "Recommendations:Schedule must be at least 00:01:00 (or unset).")
            .ValidateOnStart();
        services.AddOptions<StatsOptions>().BindConfiguration(StatsOptions.Section);
        services.AddSites();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new RecommendationJob(
            sp.GetRequiredService<IAnalyticsStore>(),
            RecommendationSettings.From(sp.GetRequiredService<IOptions<RecommendationOptions>>().Value, sp.GetRequiredService<IOptions<StatsOptions>>().Value.MinVisitors),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RecommendationJob>>()));
        services.AddHostedService<RecommendationJobService>();
        return builder;
    }
}
