using Analytics.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Analytics.Transport;

/// <summary>Registers the shared site list (top-level <c>Sites</c>), validated at start.</summary>
public static class SitesServiceCollectionExtensions
{
    public static IServiceCollection AddSites(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SiteRegistry))) return services;
        services.AddOptions<SitesOptions>()
            .Configure<IConfiguration>((o, config) => config.GetSection("Sites").Bind(o.Sites))
            .ValidateOnStart();
        services.TryAddSingleton<IValidateOptions<SitesOptions>, SitesValidator>();
        services.TryAddSingleton(sp => new SiteRegistry(sp.GetRequiredService<IOptions<SitesOptions>>().Value.Sites));
        return services;
    }

    private sealed class SitesValidator : IValidateOptions<SitesOptions>
    {
        public ValidateOptionsResult Validate(string? name, SitesOptions options)
        {
            var problems = options.Problems();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
