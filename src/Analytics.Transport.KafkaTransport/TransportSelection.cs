using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Transport.KafkaTransport;

/// <summary>Chooses the transport from configuration: <c>Transport:Kind</c> = <c>inprocess</c> (default) or <c>kafka</c>.</summary>
public static class TransportSelection
{
    public const string InProcess = "inprocess";
    public const string Kafka = "kafka";

    /// <summary>Registers the configured transport; an unknown kind stops start-up with a readable message.</summary>
    public static IServiceCollection AddConfiguredTransport(this IServiceCollection services, IConfiguration configuration, string defaultKind = InProcess)
    {
        var kind = (configuration["Transport:Kind"] ?? defaultKind).Trim().ToLowerInvariant();
        return kind switch
        {
            InProcess => services.AddInProcessTransport(),
            Kafka => services.AddKafkaTransport().AddKafkaTopicsInitializer(),
            _ => throw new InvalidOperationException($"Transport:Kind '{kind}' is not a transport; use '{InProcess}' or '{Kafka}'."),
        };
    }
}
