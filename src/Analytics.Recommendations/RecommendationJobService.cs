using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Recommendations;

/// <summary>Runs the recommendation job every <see cref="RecommendationOptions.Schedule"/>; does nothing when unset.</summary>
internal sealed partial class RecommendationJobService(RecommendationJob job, IOptions<RecommendationOptions> options, TimeProvider time,
    ILogger<RecommendationJobService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Schedule is not { } every || every <= TimeSpan.Zero) return;
        try
        {
            await Task.Delay(options.Value.InitialDelay, time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await job.RunAsync(site: null, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The failed version is marked; readers keep the previous one. Try again at the next tick.
                    Log.RunFailed(logger, ex);
                }

                await Task.Delay(every, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Scheduled recommendation run failed")]
        public static partial void RunFailed(ILogger logger, Exception exception);
    }
}
