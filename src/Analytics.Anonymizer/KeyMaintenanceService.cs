using Analytics.Privacy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Anonymizer;

/// <summary>
/// Key lifecycle upkeep, every <see cref="PrivacyOptions.MaintenanceInterval"/>: destroys visitor keys whose window
/// has passed (store rows deleted and audited, memory zeroed) — whichever instance created them — and sweeps events of
/// forgotten devices that another instance wrote before it learnt of the request. In-memory destruction is logged.
/// </summary>
internal sealed partial class KeyMaintenanceService(
    DailyKeyRing keys,
    VisitorKeyStore keyStore,
    ForgottenVisitors forgotten,
    IOptions<PrivacyOptions> options,
    TimeProvider time,
    ILogger<KeyMaintenanceService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        keys.Audit += OnAudit;
        try
        {
            using var timer = new PeriodicTimer(options.Value.MaintenanceInterval, time);
            do
            {
                await RunOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            keys.Audit -= OnAudit;
        }
    }

    /// <summary>One maintenance pass; a failure is logged and retried at the next tick.</summary>
    internal async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await keyStore.DestroyExpiredAsync(cancellationToken);
            await forgotten.SweepLeftoversAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.MaintenanceFailed(logger, ex);
        }
    }

    private void OnAudit(KeyAuditEntry entry) => Log.KeyAudit(logger, entry.Action, entry.Site, entry.Day, entry.At);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Visitor key {Action} in memory for site {Site}, day {Day}, at {At}")]
        public static partial void KeyAudit(ILogger logger, string action, string site, DateOnly day, DateTimeOffset at);

        [LoggerMessage(2, LogLevel.Error, "Key maintenance failed; trying again at the next tick")]
        public static partial void MaintenanceFailed(ILogger logger, Exception exception);
    }
}
