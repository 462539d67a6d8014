using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Transport.KafkaTransport;

/// <summary>
/// Destroys expired raw-data keys every <c>Kafka:RawKeyMaintenanceInterval</c> (collector and anonymizer alike: every
/// holder drops its copy; the first to see an expired day in the keys topic writes its tombstones).
/// </summary>
public sealed partial class RawKeyMaintenanceService(
    IServiceProvider services, IOptions<KafkaTransportOptions> options, TimeProvider time, ILogger<RawKeyMaintenanceService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SealIdentifyingFields) return;
        var keys = services.GetRequiredService<RawDataKeys>();
        using var timer = new PeriodicTimer(options.Value.RawKeyMaintenanceInterval, time);
        do
        {
            try
            {
                await keys.DestroyExpiredAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Memory copies are dropped before the topic is touched; the tombstones are retried next round.
                Log.Failed(logger, ex.GetType().Name, ex is KafkaException k ? k.Error.Code : ErrorCode.NoError);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Raw-data key maintenance failed ({Error}, {Code}); retried next interval")]
        public static partial void Failed(ILogger logger, string error, ErrorCode code);
    }
}
