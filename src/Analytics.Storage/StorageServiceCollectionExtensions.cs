using System.ComponentModel.DataAnnotations;
using Analytics.Storage.ChDb;
using Analytics.Storage.ClickHouseServer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Storage;

/// <summary>Registers the analytics store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="StorageOptions"/> from section <c>Storage</c> (validated at start) and registers
    /// <see cref="IAnalyticsStore"/> as a singleton for the configured backend, plus a hosted service that applies
    /// pending migrations at start (register storage before the components that use it).
    /// </summary>
    public static IServiceCollection AddAnalyticsStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton<IAnalyticsStore>(static provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>();
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            return options.Value.Backend switch
            {
                StorageBackends.ClickHouse => new ClickHouseServerStore(options, loggers.CreateLogger<ClickHouseServerStore>()),
                _ => new ChDbStore(options, loggers.CreateLogger<ChDbStore>()),
            };
        });
        services.AddHostedService<StorageMigrationService>();
        return services;
    }

    /// <summary>
    /// Applies pending migrations to the registered store. Call once at start, before serving:
    /// <c>await app.Services.MigrateAnalyticsStorageAsync(ct);</c>
    /// </summary>
    public static Task MigrateAnalyticsStorageAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<IAnalyticsStore>().MigrateAsync(cancellationToken);
}

/// <summary>Checks the nested sections and that the chosen backend can start (e.g. libchdb.so is present).</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        switch (options.Backend)
        {
            case StorageBackends.ChDb:
                Annotations(options.ChDb, "Storage:ChDb", failures);
                var library = ChDbLibrary.ResolvePath(options.ChDb.LibraryPath);
                if (!File.Exists(library))
                {
                    failures.Add(ChDbLibrary.MissingLibraryMessage(library));
                }

                break;
            case StorageBackends.ClickHouse:
                if (string.IsNullOrWhiteSpace(options.ClickHouse.ConnectionString))
                {
                    failures.Add("Storage:ClickHouse:ConnectionString is required when Storage:Backend is 'clickhouse'.");
                }

                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Annotations(object section, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{path}: {r.ErrorMessage}"));
        }
    }
}
