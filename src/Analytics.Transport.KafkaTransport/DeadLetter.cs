using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace Analytics.Transport.KafkaTransport;

/// <summary>
/// Dead-letter messages: where a poison message was and why it was refused, never what it said. The body carries no
/// IP, User-Agent, URL or any other payload byte, only its length and its schema header (if that header is one of
/// our own names; an unknown value is replaced by <c>other</c>).
/// </summary>
public static class DeadLetter
{
    public const string ReasonHeader = "reason";

    public static string ReasonText(RawReadResult reason) => reason switch
    {
        RawReadResult.UnknownSchema => "unknown-schema",
        RawReadResult.UnsupportedVersion => "unsupported-version",
        RawReadResult.Malformed => "malformed",
        RawReadResult.Invalid => "invalid",
        RawReadResult.Unsealable => "unsealable",
        _ => "ok",
    };

    internal static Message<byte[]?, byte[]> Build(RawReadResult reason, string topic, int partition, long offset, int bodyLength, string? schema, DateTime sourceTimestampUtc)
    {
        // The schema header is written by producers; only echo it when it is a name we know, so a header cannot smuggle data.
        var schemaOut = schema is null ? "none" : schema.StartsWith("analytics.raw.v", StringComparison.Ordinal) && schema.Length <= 24 ? schema : "other";
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["reason"] = ReasonText(reason),
            ["topic"] = topic,
            ["partition"] = partition,
            ["offset"] = offset,
            ["bytes"] = bodyLength,
            ["schema"] = schemaOut,
            ["sourceTimestamp"] = sourceTimestampUtc.ToString("O"),
        }, DeadLetterJsonContext.Default.DictionaryStringObject);
        var headers = new Headers
        {
            { ReasonHeader, Encoding.ASCII.GetBytes(ReasonText(reason)) },
            { "source", Encoding.ASCII.GetBytes($"{topic}/{partition}/{offset}") },
        };
        return new Message<byte[]?, byte[]> { Key = null, Value = body, Headers = headers };
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
internal sealed partial class DeadLetterJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
