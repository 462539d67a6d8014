using Analytics.Storage.ChDb;
using Analytics.TestUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Analytics.Storage.Tests;

public sealed class DependencyInjectionTests(ChDbFixture engine)
{
    private static ServiceProvider Build(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddAnalyticsStorage();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Storage_section_selects_the_chdb_store_and_migrations_run_through_the_provider()
    {
        var database = ChDbFixture.NewDatabaseName("di");
        await using var provider = Build(engine.ConfigurationFor(database));

        await provider.MigrateAnalyticsStorageAsync(TestContext.Current.CancellationToken);

        var store = Assert.IsType<ChDbStore>(provider.GetRequiredService<IAnalyticsStore>());
        Assert.Equal(database, store.Database);
        Assert.Same(store, provider.GetRequiredService<IAnalyticsStore>());
    }

    [Fact]
    public void A_missing_library_fails_validation_with_one_line_naming_the_setup_script()
    {
        var settings = new Dictionary<string, string?>(engine.ConfigurationFor("x")) { ["Storage:ChDb:LibraryPath"] = "/nowhere/libchdb.so" };
        using var provider = Build(settings);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("scripts/setup-chdb.sh", error.Message);
        Assert.Contains("/nowhere/libchdb.so", error.Message);
    }

    [Theory]
    [InlineData("Storage:ChDb:Database", "bad-name")]
    [InlineData("Storage:ChDb:PoolSize", "0")]
    [InlineData("Storage:Backend", "postgres")]
    public void Invalid_settings_fail_validation(string key, string value)
    {
        var settings = new Dictionary<string, string?>(engine.ConfigurationFor("x")) { [key] = value };
        using var provider = Build(settings);

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StorageOptions>>().Value);
    }
}
