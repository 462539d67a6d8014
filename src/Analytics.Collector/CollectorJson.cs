using System.Text.Json.Serialization;

namespace Analytics.Collector;

/// <summary>Answer to an accepted batch.</summary>
/// <param name="Accepted">Events handed to the pipeline.</param>
/// <param name="Rejected">Events refused, by index, with the reason.</param>
/// <param name="ConsentDropped">Events not kept because the browser sent Sec-GPC or DNT.</param>
public sealed record BatchAnswer(
    [property: JsonPropertyName("accepted")] int Accepted,
    [property: JsonPropertyName("rejected")] IReadOnlyList<RejectedEvent> Rejected,
    [property: JsonPropertyName("consent_dropped")] int ConsentDropped);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BatchAnswer))]
[JsonSerializable(typeof(RejectedEvent))]
internal sealed partial class CollectorJsonContext : JsonSerializerContext;
