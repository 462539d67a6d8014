using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Analytics.Contracts;

namespace Analytics.Transport.KafkaTransport;

/// <summary>Why a raw message could not be read; the value is the dead-letter <c>reason</c> header.</summary>
public enum RawReadResult
{
    Ok,
    /// <summary>No <c>schema</c> header, or a schema this consumer does not know.</summary>
    UnknownSchema,
    /// <summary>The right schema name but a body version this consumer does not know.</summary>
    UnsupportedVersion,
    /// <summary>Not JSON, or not the shape of the schema.</summary>
    Malformed,
    /// <summary>Well-formed but missing required fields.</summary>
    Invalid,
    /// <summary>The identifying fields could not be opened (unknown scheme, missing or destroyed key).</summary>
    Unsealable,
}

/// <summary>
/// Where the identifying fields (client IP, User-Agent) are protected before they leave the process. The raw
/// message keeps them as separate fields with the scheme next to them, so a sealing protector (AES-GCM under the
/// day's raw-data key, <c>Analytics.Privacy.RawFieldSealer</c>) plugs in without a schema change.
/// </summary>
public interface IIdentifyingFieldProtector
{
    /// <summary>Scheme written into the message (<c>plain</c>, later e.g. <c>aes-gcm.v1</c>).</summary>
    string Scheme { get; }

    /// <summary>Protects one field. <paramref name="context"/> is meant as associated data (binds the field to its event).</summary>
    string Protect(string value, IdentifyingFieldContext context);

    /// <summary>Opens a field written under <paramref name="scheme"/>; false when it cannot (unknown scheme, key gone).</summary>
    bool TryOpen(string scheme, string value, IdentifyingFieldContext context, out string plain);

    /// <summary>
    /// Called by the producer before a batch is serialized: obtain what <see cref="Protect"/> needs (e.g. the day's
    /// key). False means the batch must not be produced (the collector answers 503), never that it goes out in plain.
    /// </summary>
    ValueTask<bool> PrepareAsync(IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}

/// <summary>What a protected field is bound to: its event and its name (<c>ip</c> or <c>ua</c>).</summary>
public readonly record struct IdentifyingFieldContext(string Site, Guid EventId, long ReceivedAtMs, string Field);

/// <summary>Today's scheme: identifying fields travel as they are (the topic is access-controlled and short-lived).</summary>
public sealed class PlainIdentifyingFields : IIdentifyingFieldProtector
{
    public static readonly PlainIdentifyingFields Instance = new();

    public string Scheme => "plain";

    public string Protect(string value, IdentifyingFieldContext context) => value;

    public bool TryOpen(string scheme, string value, IdentifyingFieldContext context, out string plain)
    {
        plain = value;
        return scheme == Scheme;
    }
}

/// <summary>
/// Message schema <c>analytics.raw.v1</c>: header <c>schema: analytics.raw.v1</c>, body UTF-8 JSON of
/// <see cref="CollectedEvent"/> with a version field <c>v</c> and the identifying fields in their own object
/// <c>ident {scheme, ip, ua}</c>. Readers refuse unknown schema names and versions (→ dead-letter topic).
/// </summary>
public sealed class RawEventSerializer(IIdentifyingFieldProtector? protector = null)
{
    public const string SchemaHeader = "schema";
    public const string SchemaV1 = "analytics.raw.v1";
    public const int Version = 1;

    private static readonly byte[] s_schemaV1 = Encoding.ASCII.GetBytes(SchemaV1);
    private readonly IIdentifyingFieldProtector _protector = protector ?? PlainIdentifyingFields.Instance;

    /// <summary>The header value announcing this schema.</summary>
    public static ReadOnlySpan<byte> SchemaV1Bytes => s_schemaV1;

    /// <summary>The protector's scheme (<c>plain</c>, <c>aes-gcm.v1</c>).</summary>
    public string Scheme => _protector.Scheme;

    /// <summary>Prepares the protector for <paramref name="events"/> (see <see cref="IIdentifyingFieldProtector.PrepareAsync"/>).</summary>
    public ValueTask<bool> PrepareAsync(IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken) =>
        _protector.PrepareAsync(events, cancellationToken);

    public byte[] Serialize(CollectedEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var body = new RawEventV1(
            Version, e.Site, e.Type, e.EventId, e.TimestampMs, e.ReceivedAtMs, e.Url, e.Referrer, e.Title, e.Screen, e.Lang,
            e.Product, e.List, e.Engagement,
            new IdentifyingFieldsV1(
                _protector.Scheme,
                _protector.Protect(e.ClientIp, new(e.Site, e.EventId, e.ReceivedAtMs, "ip")),
                _protector.Protect(e.UserAgent, new(e.Site, e.EventId, e.ReceivedAtMs, "ua"))));
        return JsonSerializer.SerializeToUtf8Bytes(body, RawJsonContext.Default.RawEventV1);
    }

    /// <summary>Reads a message given its <c>schema</c> header value (null when absent) and body.</summary>
    public RawReadResult TryDeserialize(ReadOnlySpan<byte> schemaHeader, bool hasSchemaHeader, ReadOnlySpan<byte> body, out CollectedEvent? e)
    {
        e = null;
        if (!hasSchemaHeader || !schemaHeader.SequenceEqual(s_schemaV1)) return RawReadResult.UnknownSchema;
        RawEventV1? m;
        try
        {
            m = JsonSerializer.Deserialize(body, RawJsonContext.Default.RawEventV1);
        }
        catch (JsonException)
        {
            return RawReadResult.Malformed;
        }
        if (m is null) return RawReadResult.Malformed;
        if (m.V != Version) return RawReadResult.UnsupportedVersion;
        if (string.IsNullOrEmpty(m.Site) || string.IsNullOrEmpty(m.Type) || m.EventId == Guid.Empty || m.Url is null || m.Ident is null)
        {
            return RawReadResult.Invalid;
        }
        string ip = "", ua = "";
        if (!_protector.TryOpen(m.Ident.Scheme ?? "", m.Ident.Ip ?? "", new(m.Site, m.EventId, m.Rcv, "ip"), out ip)
            || !_protector.TryOpen(m.Ident.Scheme ?? "", m.Ident.Ua ?? "", new(m.Site, m.EventId, m.Rcv, "ua"), out ua))
        {
            return RawReadResult.Unsealable;
        }
        e = new CollectedEvent
        {
            Site = m.Site,
            Type = m.Type,
            EventId = m.EventId,
            TimestampMs = m.Ts,
            ReceivedAtMs = m.Rcv,
            Url = m.Url,
            Referrer = m.Ref ?? "",
            Title = m.Title ?? "",
            Screen = m.Screen ?? "",
            Lang = m.Lang ?? "",
            Product = m.Product,
            List = m.List,
            Engagement = m.Engagement,
            ClientIp = ip,
            UserAgent = ua,
        };
        return RawReadResult.Ok;
    }

    /// <summary>
    /// Message key: site and a 16-bit bucket of SHA-256(site|ip). One visitor's events share a key (so a partition,
    /// so their order); the key itself is not identifying: each bucket holds ~65,000 IPv4 addresses per site, so it
    /// cannot be reversed by enumerating addresses the way a full hash could.
    /// </summary>
    public static string PartitionKey(string site, string clientIp)
    {
        Span<byte> hash = stackalloc byte[32];
        var input = site + "|" + clientIp;
        SHA256.HashData(Encoding.UTF8.GetBytes(input), hash);
        return site + ":" + BinaryPrimitives.ReadUInt16BigEndian(hash).ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
    }
}

internal sealed record IdentifyingFieldsV1(string? Scheme, string? Ip, string? Ua);

internal sealed record RawEventV1(
    int V, string Site, string Type, Guid EventId, long Ts, long Rcv, string Url, string? Ref, string? Title, string? Screen, string? Lang,
    ProductInfo? Product, ListItem? List, Engagement? Engagement, IdentifyingFieldsV1? Ident);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RawEventV1))]
internal sealed partial class RawJsonContext : JsonSerializerContext;
