using System.Text.Json;

namespace Analytics.Storage;

/// <summary>Parses JSONEachRow output (one object per line) into standalone <see cref="JsonElement"/>s.</summary>
internal static class JsonEachRow
{
    public static IReadOnlyList<JsonElement> Parse(ReadOnlySpan<byte> output)
    {
        if (output.IsEmpty)
        {
            return [];
        }

        var rows = new List<JsonElement>();
        var reader = new Utf8JsonReader(output, new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            // ParseValue copies the value, so rows outlive the native buffer.
            rows.Add(JsonElement.ParseValue(ref reader));
        }

        return rows;
    }
}
