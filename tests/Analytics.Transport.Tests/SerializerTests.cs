using System.Text;
using Analytics.Contracts;
using Analytics.Transport.KafkaTransport;

namespace Analytics.Transport.Tests;

public sealed class SerializerTests
{
    private static readonly RawEventSerializer Serializer = new();
    private static readonly byte[] V1 = Encoding.ASCII.GetBytes(RawEventSerializer.SchemaV1);

    [Fact]
    public void Round_trips_every_field_of_a_collected_event()
    {
        var e = Harness.Events(3)[2] with
        {
            List = new ListItem("bestsellers", "sku-9", 3),
            Engagement = new Engagement(12_345, 80),
            Referrer = "https://ref.example/x",
        };

        var read = Serializer.TryDeserialize(V1, true, Serializer.Serialize(e), out var back);

        Assert.Equal(RawReadResult.Ok, read);
        Assert.Equal(e, back);
    }

    [Fact]
    public void Keeps_identifying_fields_apart_with_their_scheme()
    {
        var e = Harness.Events(1)[0];
        using var doc = System.Text.Json.JsonDocument.Parse(Serializer.Serialize(e));
        var root = doc.RootElement;

        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Equal("plain", root.GetProperty("ident").GetProperty("scheme").GetString());
        Assert.Equal(e.ClientIp, root.GetProperty("ident").GetProperty("ip").GetString());
        Assert.False(root.TryGetProperty("clientIp", out _));
        Assert.False(root.TryGetProperty("userAgent", out _));
    }

    [Fact]
    public void A_sealing_protector_plugs_in_without_a_schema_change()
    {
        var serializer = new RawEventSerializer(new ReversingProtector());
        var e = Harness.Events(1)[0];
        var body = serializer.Serialize(e);

        Assert.DoesNotContain(e.ClientIp, Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        Assert.Equal(RawReadResult.Ok, serializer.TryDeserialize(V1, true, body, out var back));
        Assert.Equal(e, back);
        // A reader without the protector's scheme refuses the message instead of reading sealed text as an IP.
        Assert.Equal(RawReadResult.Unsealable, Serializer.TryDeserialize(V1, true, body, out _));
    }

    [Theory]
    [InlineData(null, RawReadResult.UnknownSchema)]
    [InlineData("analytics.raw.v2", RawReadResult.UnknownSchema)]
    public void Refuses_a_missing_or_unknown_schema_header(string? schema, RawReadResult expected)
    {
        var body = Serializer.Serialize(Harness.Events(1)[0]);
        var header = schema is null ? [] : Encoding.ASCII.GetBytes(schema);
        Assert.Equal(expected, Serializer.TryDeserialize(header, schema is not null, body, out var e));
        Assert.Null(e);
    }

    [Theory]
    [InlineData("not json", RawReadResult.Malformed)]
    [InlineData("[1,2]", RawReadResult.Malformed)]
    [InlineData("""{"v":2,"site":"s","type":"page_view","eventId":"6f1c3e4a-1b2c-4d5e-8f90-123456789abc","ts":1,"rcv":1,"url":"u","ident":{"scheme":"plain","ip":"","ua":""}}""", RawReadResult.UnsupportedVersion)]
    [InlineData("""{"v":1,"type":"page_view","eventId":"6f1c3e4a-1b2c-4d5e-8f90-123456789abc","ts":1,"rcv":1,"url":"u","ident":{"scheme":"plain","ip":"","ua":""}}""", RawReadResult.Invalid)]
    [InlineData("""{"v":1,"site":"s","type":"page_view","eventId":"6f1c3e4a-1b2c-4d5e-8f90-123456789abc","ts":1,"rcv":1,"url":"u"}""", RawReadResult.Invalid)]
    public void Refuses_bodies_that_are_not_version_1(string body, RawReadResult expected) =>
        Assert.Equal(expected, Serializer.TryDeserialize(V1, true, Encoding.UTF8.GetBytes(body), out _));

    [Fact]
    public void Partition_key_is_stable_per_visitor_and_does_not_contain_the_ip()
    {
        var a = RawEventSerializer.PartitionKey("shop", "203.0.113.7");
        Assert.Equal(a, RawEventSerializer.PartitionKey("shop", "203.0.113.7"));
        Assert.NotEqual(a, RawEventSerializer.PartitionKey("other", "203.0.113.7"));
        Assert.DoesNotContain("203", a[5..], StringComparison.Ordinal);
        Assert.Matches("^shop:[0-9a-f]{4}$", a);
    }

    private sealed class ReversingProtector : IIdentifyingFieldProtector
    {
        public string Scheme => "test-reverse";
        public string Protect(string value, IdentifyingFieldContext context) => new(value.Reverse().ToArray());
        public bool TryOpen(string scheme, string value, IdentifyingFieldContext context, out string plain)
        {
            plain = new(value.Reverse().ToArray());
            return scheme == Scheme;
        }
    }
}
