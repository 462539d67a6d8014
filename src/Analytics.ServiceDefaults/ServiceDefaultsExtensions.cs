using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Analytics.ServiceDefaults;

/// <summary>What every host shares (eShop's pattern): structured logs, OpenTelemetry metrics for Prometheus, health checks.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Meters exported at <c>/metrics</c>; components add theirs by name.</summary>
    public static readonly string[] Meters =
    [
        "Analytics.Collector", "Analytics.Anonymizer", "Analytics.Transport", "Analytics.Storage", "Analytics.Stats", "Analytics.Privacy",
        "Polly",
    ];

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddAspNetCoreInstrumentation();
            metrics.AddMeter(Meters);
            metrics.AddPrometheusExporter();
        });
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        return builder;
    }

    /// <summary><c>/healthz</c> (liveness), <c>/readyz</c> (every registered check), <c>/metrics</c> (Prometheus).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live") });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            ResponseWriter = static (ctx, report) =>
            {
                ctx.Response.ContentType = "application/json";
                return ctx.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                });
            },
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}

/// <summary>Start-up with readable failures: a wrong setting stops the host with one line naming it, not a stack trace.</summary>
public static class HostRunner
{
    /// <summary>Runs the app; returns the process exit code (2: configuration error, 1: start-up failed).</summary>
    public static async Task<int> RunReadablyAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("Configuration error: " + string.Join(" ", ex.Failures));
            return 2;
        }
        catch (Exception ex) when (!app.Lifetime.ApplicationStarted.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Start-up failed: " + ex.Message);
            return 1;
        }
    }
}
