using System.Security.Cryptography;

namespace Analytics.Transport.KafkaTransport;

/// <summary>
/// The part of section <c>Privacy</c> the Kafka transport needs to share raw-data keys between collector and anonymizer.
/// (The anonymizer binds the same section for its own settings; a collector host cannot reference the anonymizer.)
/// </summary>
public sealed class RawKeyPrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>
    /// Base64 of 32 random bytes (<c>openssl rand -base64 32</c>), the same on every collector and anonymizer:
    /// it seals the daily raw-data keys in the keys topic. Treat it like a KMS key (secret store, env
    /// <c>Privacy__MasterKey</c>); whoever holds it and a copy of the keys topic before compaction can open raw events.
    /// </summary>
    public string? MasterKey { get; set; }

    /// <summary>Names this instance in the key audit lines; default <c>machine:pid</c>.</summary>
    public string? InstanceId { get; set; }

    internal const string MasterKeyMessage =
        "Privacy:MasterKey is required when Kafka:SealIdentifyingFields is true: base64 of 32 random bytes (openssl rand -base64 32), the same on every collector and anonymizer.";

    /// <summary>Whether <paramref name="base64"/> is 32 bytes in base64.</summary>
    public static bool IsValidMasterKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64)) return false;
        Span<byte> buffer = stackalloc byte[48];
        var ok = Convert.TryFromBase64String(base64.Trim(), buffer, out var n) && n == 32;
        CryptographicOperations.ZeroMemory(buffer);
        return ok;
    }

    internal string ResolvedInstanceId =>
        string.IsNullOrWhiteSpace(InstanceId) ? $"{Environment.MachineName}:{Environment.ProcessId}" : InstanceId.Trim();
}
