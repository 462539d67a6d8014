using System.Globalization;
using System.Text;
using Analytics.Contracts;
using Analytics.Privacy;

namespace Analytics.Transport.KafkaTransport;

/// <summary>
/// Scheme <c>aes-gcm.v1</c>: each identifying field is sealed with AES-256-GCM (<see cref="RawFieldSealer"/>) under the
/// raw-data key of the event's receive day (UTC, <see cref="RawDataKeys"/>). The value is
/// <c>keyId.base64(nonce|ciphertext|tag)</c>; the associated data binds it to the site, event id, receive time, field
/// name and key id, so a sealed value cannot be moved to another event, field or key. Once the day's key is destroyed
/// nothing can open it: the reader dead-letters such a message as <c>unsealable</c>.
/// </summary>
public sealed class SealedIdentifyingFields(RawDataKeys keys) : IIdentifyingFieldProtector
{
    public const string SchemeV1 = "aes-gcm.v1";

    public string Scheme => SchemeV1;

    /// <summary>Obtains the key of every receive day in the batch (normally one); false → nothing may be produced.</summary>
    public ValueTask<bool> PrepareAsync(IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken)
    {
        DateOnly? missing = null;
        List<DateOnly>? more = null;
        foreach (var e in events)
        {
            var day = RawDataKeys.DayOf(e.ReceivedAtMs);
            if (keys.TryGetSealingKey(day, out _, out _) || day == missing || more?.Contains(day) == true) continue;
            if (missing is null) missing = day;
            else (more ??= []).Add(day);
        }
        return missing is null ? ValueTask.FromResult(true) : EnsureAllAsync(missing.Value, more, cancellationToken);
    }

    private async ValueTask<bool> EnsureAllAsync(DateOnly first, List<DateOnly>? more, CancellationToken cancellationToken)
    {
        if (!await keys.EnsureSealingKeyAsync(first, cancellationToken)) return false;
        foreach (var day in more ?? [])
        {
            if (!await keys.EnsureSealingKeyAsync(day, cancellationToken)) return false;
        }
        return true;
    }

    /// <summary>Seals <paramref name="value"/>; throws (never returns plaintext) when the day's key is not held.</summary>
    public string Protect(string value, IdentifyingFieldContext context)
    {
        if (!keys.TryGetSealingKey(RawDataKeys.DayOf(context.ReceivedAtMs), out var keyId, out var key))
        {
            throw new InvalidOperationException("No raw-data key for the event's day; the event must not be produced.");
        }
        return keyId + "." + RawFieldSealer.Seal(key, value, AssociatedData(context, keyId));
    }

    /// <summary>
    /// Opens a field sealed by <see cref="Protect"/>; false for another scheme, an unknown or destroyed key, or a value
    /// that does not authenticate. Throws when the keys topic cannot be read (transient; the reader retries).
    /// </summary>
    public bool TryOpen(string scheme, string value, IdentifyingFieldContext context, out string plain)
    {
        plain = "";
        if (scheme != SchemeV1) return false;
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) return false;
        var keyId = value[..dot];
        var key = keys.GetOpeningKey(keyId);
        return key is not null && RawFieldSealer.TryOpen(key, value[(dot + 1)..], AssociatedData(context, keyId), out plain);
    }

    private static byte[] AssociatedData(IdentifyingFieldContext c, string keyId) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"analytics.raw.v1/ident\n{c.Site}\n{c.EventId:N}\n{c.ReceivedAtMs}\n{c.Field}\n{keyId}"));
}
