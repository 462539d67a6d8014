using Analytics.Privacy;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Analytics.Anonymizer;

/// <summary>Destroys visitor keys whose window has passed, once a minute, and writes the key audit trail to the log.</summary>
internal sealed partial class KeyMaintenanceService(DailyKeyRing keys, TimeProvider time, ILogger<KeyMaintenanceService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        keys.Audit += OnAudit;
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
            do
            {
                keys.DestroyExpired();
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

    private void OnAudit(KeyAuditEntry entry) => Log.KeyAudit(logger, entry.Action, entry.Site, entry.Day, entry.At);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Visitor key {Action} for site {Site}, day {Day}, at {At}")]
        public static partial void KeyAudit(ILogger logger, string action, string site, DateOnly day, DateTimeOffset at);
    }
}
