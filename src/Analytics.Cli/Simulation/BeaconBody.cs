using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Analytics.Cli;

/// <summary>Writes a beacon batch the way the browser script does (JSON.stringify: no escaping beyond what JSON needs).</summary>
public static class BeaconBody
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>UTF-8 JSON <c>{"site":…,"events":[…]}</c> for <paramref name="events"/> sent by <paramref name="visitor"/>.</summary>
    public static byte[] Write(string site, SimulatedVisitor visitor, IReadOnlyList<SimulatedEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + events.Count * 384);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("site", site);
            w.WriteStartArray("events");
            foreach (var e in events)
            {
                w.WriteStartObject();
                w.WriteString("type", e.Type);
                w.WriteString("id", e.Id);
                w.WriteNumber("ts", e.TimestampMs);
                w.WriteString("url", e.Url);
                w.WriteString("referrer", e.Referrer);
                w.WriteString("title", e.Title);
                w.WriteString("screen", visitor.Screen);
                w.WriteString("lang", visitor.Lang);
                if (e.Product is { } p)
                {
                    w.WriteStartObject("product");
                    w.WriteString("id", p.Id);
                    if (p.Name is not null) w.WriteString("name", p.Name);
                    if (p.Category is not null) w.WriteString("category", p.Category);
                    if (p.Price is { } price) w.WriteNumber("price", price);
                    if (p.Currency is not null) w.WriteString("currency", p.Currency);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
