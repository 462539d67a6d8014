using Analytics.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Analytics.Stats;

/// <summary>Registers the stats API.</summary>
public static class StatsServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddStats(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StatsOptions>().BindConfiguration(StatsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSites();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<StatsQueryService>();
        builder.Services.AddProblemDetails();
        return builder;
    }
}
