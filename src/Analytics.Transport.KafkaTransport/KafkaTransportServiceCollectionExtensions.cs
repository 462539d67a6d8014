using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Analytics.Transport.KafkaTransport;

/// <summary>Registers the Kafka transport as both ends of the seam.</summary>
public static class KafkaTransportServiceCollectionExtensions
{
    /// <summary>
    /// Kafka transport (section <c>Kafka</c>): <see cref="IEventTransport"/> (producer), <see cref="IEventBatchSource"/>
    /// (consumer, created on first use so a collector-only host never joins the group) and a readiness check
    /// <c>kafka</c> tagged <c>ready</c>. Options are validated at start.
    /// </summary>
    public static IServiceCollection AddKafkaTransport(this IServiceCollection services)
    {
        services.AddOptions<KafkaTransportOptions>().BindConfiguration(KafkaTransportOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.RawTopic != o.DeadLetterTopic && o.RawTopic != o.CutJournalTopic && o.DeadLetterTopic != o.CutJournalTopic,
                "Kafka:RawTopic, Kafka:DeadLetterTopic and Kafka:CutJournalTopic must be three different topics.")
            .Validate(o => o.RawRetention >= TimeSpan.FromMinutes(10) && o.RawRetention <= TimeSpan.FromDays(7),
                "Kafka:RawRetention must be between 10 minutes and 7 days (raw events are identifying).")
            .Validate(o => o.MessageTimeoutMs >= o.LingerMs + 1000, "Kafka:MessageTimeoutMs must exceed Kafka:LingerMs by at least a second.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<KafkaTransportMetrics>();
        services.TryAddSingleton<IIdentifyingFieldProtector>(PlainIdentifyingFields.Instance);
        services.TryAddSingleton(sp => new RawEventSerializer(sp.GetRequiredService<IIdentifyingFieldProtector>()));
        services.TryAddSingleton<KafkaEventTransport>();
        services.TryAddSingleton<IEventTransport>(sp => sp.GetRequiredService<KafkaEventTransport>());
        services.TryAddSingleton<KafkaEventBatchSource>();
        services.TryAddSingleton<IEventBatchSource>(sp => sp.GetRequiredService<KafkaEventBatchSource>());
        services.AddHealthChecks().AddCheck<KafkaHealthCheck>("kafka", tags: ["ready"]);
        services.TryAddSingleton<KafkaHealthCheck>();
        return services;
    }

    /// <summary>Creates the Kafka topics at start if missing (see <see cref="KafkaTopicsInitializer"/>).</summary>
    public static IServiceCollection AddKafkaTopicsInitializer(this IServiceCollection services)
    {
        services.AddOptions<KafkaTransportOptions>().BindConfiguration(KafkaTransportOptions.Section);
        services.AddHostedService<KafkaTopicsInitializer>();
        return services;
    }
}
