using System.Net;
using Analytics.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Analytics.Collector;

/// <summary>Registers the collector.</summary>
public static class CollectorServiceCollectionExtensions
{
    /// <summary>Adds the collector's services and options (section <c>Collector</c>), validated at start.</summary>
    public static IHostApplicationBuilder AddCollector(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CollectorOptions>()
            .BindConfiguration(CollectorOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CollectorOptions>, CollectorOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSites();
        builder.Services.AddSingleton<CollectorMetrics>();
        builder.Services.AddProblemDetails();

        builder.Services.AddSingleton(sp => new ClientAddress(sp.GetRequiredService<IOptions<CollectorOptions>>().Value.TrustedProxies));
        return builder;
    }

}

/// <summary>Start-up checks of <see cref="CollectorOptions"/> that data annotations can't express.</summary>
internal sealed class CollectorOptionsValidator : IValidateOptions<CollectorOptions>
{
    public ValidateOptionsResult Validate(string? name, CollectorOptions options)
    {
        var errors = new List<string>();
        foreach (var proxy in options.TrustedProxies)
        {
            var ok = proxy.Contains('/', StringComparison.Ordinal) ? System.Net.IPNetwork.TryParse(proxy, out _) : IPAddress.TryParse(proxy, out _);
            if (!ok) errors.Add($"Collector:TrustedProxies: '{proxy}' is neither an IP address nor a CIDR range.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
