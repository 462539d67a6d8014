using System.Security.Cryptography;
using Analytics.Privacy;
using Microsoft.Extensions.Options;

namespace Analytics.Anonymizer;

/// <summary>The master key that seals the shared day keys: from configuration, or from a file created on first start.</summary>
public sealed class MasterKey
{
    private readonly byte[] _key;

    private MasterKey(byte[] key) => _key = key;

    /// <summary>The 32 key bytes.</summary>
    public ReadOnlySpan<byte> Span => _key;

    /// <summary>Wraps 32 bytes (tests, tools).</summary>
    public static MasterKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == DayKeyEnvelope.MasterKeySize ? new MasterKey(key.ToArray()) : throw new ArgumentException("The master key must be 32 bytes.", nameof(key));

    /// <summary>Whether <paramref name="base64"/> is 32 bytes in base64.</summary>
    public static bool IsValid(string? base64) =>
        !string.IsNullOrWhiteSpace(base64) && Convert.TryFromBase64String(base64.Trim(), new byte[48], out var n) && n == DayKeyEnvelope.MasterKeySize;

    /// <summary>
    /// Resolves the key from <see cref="PrivacyOptions"/>: <c>MasterKey</c>, else <c>MasterKeyFile</c>, which is created
    /// (32 random bytes, base64, mode 600) when it does not exist.
    /// </summary>
    public static MasterKey Resolve(IOptions<PrivacyOptions> options)
    {
        var o = options.Value;
        if (IsValid(o.MasterKey)) return new MasterKey(Convert.FromBase64String(o.MasterKey!.Trim()));
        var path = Path.GetFullPath(o.MasterKeyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var fresh = RandomNumberGenerator.GetBytes(DayKeyEnvelope.MasterKeySize);
            // Written whole to a private temporary file, then renamed into place: a process starting at the same time
            // never reads a half-written key, and the first rename wins.
            var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var file = new FileStream(temporary, create))
            using (var writer = new StreamWriter(file))
            {
                writer.Write(Convert.ToBase64String(fresh));
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
                return new MasterKey(fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
                File.Delete(temporary);
            }
        }

        var text = File.ReadAllText(path).Trim();
        return IsValid(text)
            ? new MasterKey(Convert.FromBase64String(text))
            : throw new InvalidOperationException($"Privacy:MasterKeyFile '{path}' does not hold 32 bytes in base64.");
    }
}
