using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Transport;

/// <summary>Registers the in-process transport as both ends of the seam.</summary>
public static class TransportServiceCollectionExtensions
{
    /// <summary>One-machine transport (section <c>Transport:InProcess</c>).</summary>
    public static IServiceCollection AddInProcessTransport(this IServiceCollection services)
    {
        services.AddOptions<InProcessTransportOptions>().BindConfiguration("Transport:InProcess").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<InProcessTransport>();
        services.AddSingleton<IEventTransport>(sp => sp.GetRequiredService<InProcessTransport>());
        services.AddSingleton<IEventBatchSource>(sp => sp.GetRequiredService<InProcessTransport>());
        return services;
    }
}
