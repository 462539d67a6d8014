using System.Net;
using Analytics.Contracts;
using Analytics.Privacy;
using Analytics.Transport;
using MaxMind.GeoIP2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace Analytics.Anonymizer;

/// <summary>Registers the anonymizer worker and its privacy machinery.</summary>
public static class AnonymizerServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddAnonymizer(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AnonymizerOptions>().BindConfiguration(AnonymizerOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.MaxBatchWait > TimeSpan.Zero && o.MaxBatchWait <= TimeSpan.FromMinutes(1), "Anonymizer:MaxBatchWait must be between 0 and 1 minute.")
            .Validate(o => o.BotIpRanges.All(r => System.Net.IPNetwork.TryParse(r, out _)), "Anonymizer:BotIpRanges must be CIDR ranges like 66.249.64.0/19.")
            .Validate(o => o.GeoIpDatabasePath is null || File.Exists(o.GeoIpDatabasePath), "Anonymizer:GeoIpDatabasePath does not name an existing file.")
            .ValidateOnStart();
        services.AddSites();
        services.TryAddSingleton(TimeProvider.System);
        // Keys are shared through the store (VisitorKeyStore), so the ring never invents one on its own.
        services.TryAddSingleton(sp => new DailyKeyRing(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<SiteRegistry>().TimeZoneOf, createOnFirstUse: false));
        services.AddOptions<PrivacyOptions>().BindConfiguration(PrivacyOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.MasterKey) || MasterKey.IsValid(o.MasterKey), "Privacy:MasterKey must be 32 random bytes in base64 (e.g. openssl rand -base64 32).")
            .Validate(o => !string.IsNullOrWhiteSpace(o.MasterKey) || !string.IsNullOrWhiteSpace(o.MasterKeyFile), "Privacy:MasterKey or Privacy:MasterKeyFile is required.")
            .Validate(o => o.ForgottenRefreshInterval > TimeSpan.Zero && o.MaintenanceInterval > TimeSpan.Zero, "Privacy:ForgottenRefreshInterval and Privacy:MaintenanceInterval must be positive.")
            .ValidateOnStart();
        services.TryAddSingleton(sp => MasterKey.Resolve(sp.GetRequiredService<IOptions<PrivacyOptions>>()));
        services.TryAddSingleton<PrivacyMetrics>();
        services.TryAddSingleton<VisitorKeyStore>();
        services.TryAddSingleton<ForgottenVisitors>();
        services.TryAddSingleton<IVisitorRights, VisitorRights>();
        services.TryAddSingleton<ScrubCounters>();
        services.TryAddSingleton<AnonymizerMetrics>();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AnonymizerOptions>>().Value;
            Func<IPAddress, string>? country = null;
            if (o.GeoIpDatabasePath is { } path)
            {
                var reader = new DatabaseReader(path);
                country = ip => reader.TryCountry(ip, out var r) ? r?.Country.IsoCode ?? "" : "";
            }
            return new EventAnonymizer(
                sp.GetRequiredService<DailyKeyRing>(),
                sp.GetRequiredService<SiteRegistry>(),
                new IpRangeList(o.BotIpRanges),
                sp.GetRequiredService<ScrubCounters>(),
                country);
        });

        services.AddResiliencePipeline(AnonymizerWorker.StorageWritePipeline, (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<AnonymizerOptions>>().Value;
            pipeline
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = o.WriteRetries,
                    Delay = o.WriteRetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    MaxDelay = TimeSpan.FromSeconds(10),
                })
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    FailureRatio = o.BreakerFailureRatio,
                    SamplingDuration = o.BreakerSamplingDuration,
                    MinimumThroughput = 5,
                    BreakDuration = o.BreakerDuration,
                })
                .AddTimeout(o.WriteTimeout);
        });

        services.AddHostedService<AnonymizerWorker>();
        services.AddHostedService<KeyMaintenanceService>();
        return builder;
    }
}
