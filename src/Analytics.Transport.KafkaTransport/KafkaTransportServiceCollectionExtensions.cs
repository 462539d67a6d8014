using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Analytics.Transport.KafkaTransport;

/// <summary>Registers the Kafka transport as both ends of the seam.</summary>
public static class KafkaTransportServiceCollectionExtensions
{
    /// <summary>
    /// Kafka transport (section <c>Kafka</c>): <see cref="IEventTransport"/> (producer), <see cref="IEventBatchSource"/>
    /// (consumer, created on first use so a collector-only host never joins the group) and a readiness check
    /// <c>kafka</c> tagged <c>ready</c>. Identifying fields are sealed under the day's raw-data key
    /// (<see cref="SealedIdentifyingFields"/>, keys shared via <c>Kafka:RawKeysTopic</c>, needs <c>Privacy:MasterKey</c>)
    /// unless <c>Kafka:SealIdentifyingFields</c> is false. Options are validated at start.
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
            .Validate(o => o.RawKeysTopic != o.RawTopic && o.RawKeysTopic != o.DeadLetterTopic && o.RawKeysTopic != o.CutJournalTopic,
                "Kafka:RawKeysTopic must differ from the raw, dead-letter and cut-journal topics.")
            .Validate(o => o.RawKeyDestroyMargin >= TimeSpan.Zero && o.RawKeyDestroyMargin <= TimeSpan.FromHours(12),
                "Kafka:RawKeyDestroyMargin must be between 0 and 12 hours (keys outliving the raw topic defeat shredding).")
            .Validate(o => o.RawKeyMaintenanceInterval >= TimeSpan.FromSeconds(1) && o.RawKeyMaintenanceInterval <= TimeSpan.FromHours(1),
                "Kafka:RawKeyMaintenanceInterval must be between 1 second and 1 hour.")
            .ValidateOnStart();
        services.AddOptions<RawKeyPrivacyOptions>().BindConfiguration(RawKeyPrivacyOptions.Section)
            .Validate<IOptions<KafkaTransportOptions>>((p, k) => !k.Value.SealIdentifyingFields || RawKeyPrivacyOptions.IsValidMasterKey(p.MasterKey),
                RawKeyPrivacyOptions.MasterKeyMessage)
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<KafkaTransportMetrics>();
        // Sealing is on by default (Kafka:SealIdentifyingFields); a protector registered before this call wins (TryAdd).
        services.TryAddSingleton<RawDataKeys>();
        services.TryAddSingleton<SealedIdentifyingFields>();
        services.TryAddSingleton<IIdentifyingFieldProtector>(sp => sp.GetRequiredService<IOptions<KafkaTransportOptions>>().Value.SealIdentifyingFields
            ? sp.GetRequiredService<SealedIdentifyingFields>()
            : PlainIdentifyingFields.Instance);
        services.AddHostedService<RawKeyMaintenanceService>();
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
