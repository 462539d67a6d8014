using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Analytics.Storage;

/// <summary>
/// Applies pending migrations when the host starts, before any later-registered hosted service (the anonymizer) and
/// before the web server listens, so nothing reads or writes an older schema.
/// </summary>
internal sealed class StorageMigrationService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => services.MigrateAnalyticsStorageAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
