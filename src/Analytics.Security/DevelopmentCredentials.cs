using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace Analytics.Security;

/// <summary>
/// The quick start's credentials: on first start a random API key and a random password for the dashboard user
/// <c>admin</c>. Only their hashes go to the state file; the secrets go to their own files (mode 600) for the developer.
/// Later starts reuse them while the secret file still matches its hash, and otherwise create new ones.
/// </summary>
internal static class DevelopmentCredentials
{
    public const string KeyName = "development";
    public const string UserName = "admin";

    /// <summary>Creates missing development credentials and returns the state file's entries (empty when none is configured).</summary>
    public static List<StoredCredential> Ensure(AuthOptions options, PasswordHasher<CallerInfo> hasher, TimeProvider time, TextWriter output, ILogger logger)
    {
        var statePath = options.EffectiveStateFile is { } s ? Path.GetFullPath(s) : null;
        if (statePath is null) return [];
        var state = ReadState(statePath, logger);
        var keyFile = Blank(options.DevelopmentKeyFile) ? null : Path.GetFullPath(options.DevelopmentKeyFile!);
        var userFile = Blank(options.DevelopmentUserFile) ? null : Path.GetFullPath(options.DevelopmentUserFile!);
        var role = options.DevelopmentRole;
        var now = time.GetUtcNow();
        var changed = false;
        string? newKey = null, newPassword = null;

        if (keyFile is not null)
        {
            var entry = state.Find(c => c.Kind == StoredCredential.ApiKeyKind && c.Name == KeyName);
            var existing = ReadWords(keyFile) is [var word] ? word : null;
            if (entry is not null && existing is not null && HashMatches(existing, entry.Hash))
            {
                if (entry.Role != role) Replace(state, entry, entry with { Role = role }, ref changed);
            }
            else
            {
                newKey = ApiKeyHash.Generate();
                Replace(state, entry, new StoredCredential(KeyName, StoredCredential.ApiKeyKind, ApiKeyHash.Hash(newKey), role, now), ref changed);
            }
        }
        if (userFile is not null)
        {
            var entry = state.Find(c => c.Kind == StoredCredential.LoginKind && c.Name == UserName);
            var existing = ReadWords(userFile) is [UserName, var password] ? password : null;
            var caller = new CallerInfo(UserName, role);
            if (entry is not null && existing is not null && PasswordHashes.LooksValid(entry.Hash)
                && hasher.VerifyHashedPassword(caller, entry.Hash, existing) != PasswordVerificationResult.Failed)
            {
                if (entry.Role != role) Replace(state, entry, entry with { Role = role }, ref changed);
            }
            else
            {
                newPassword = ApiKeyHash.Generate();
                Replace(state, entry, new StoredCredential(UserName, StoredCredential.LoginKind, hasher.HashPassword(caller, newPassword), role, now), ref changed);
            }
        }

        // State first: if we stop between the two writes, the next start sees a secret that does not match and replaces it.
        if (changed) SecretFile.Write(statePath, JsonSerializer.Serialize(state, SecurityJson.State.ListStoredCredential) + "\n");
        if (keyFile is not null)
        {
            if (newKey is not null)
            {
                SecretFile.Write(keyFile, newKey);
                logger.DevelopmentCredentialCreated("API key", statePath, keyFile);
                // The one deliberate print of a secret: the developer's first look at the key.
                output.WriteLine($"""
                    Development API key (new; printed only now, kept as a SHA-256 hash in {statePath}):
                      {newKey}
                      saved in {keyFile}; send it as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.
                    """);
            }
            else
            {
                output.WriteLine($"Development API key: {keyFile} (send it as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY').");
            }
        }
        if (userFile is not null)
        {
            if (newPassword is not null)
            {
                SecretFile.Write(userFile, $"{UserName} {newPassword}");
                logger.DevelopmentCredentialCreated("dashboard login", statePath, userFile);
            }
            output.WriteLine($"Development dashboard login ({UserName}, role {role}): {userFile} holds 'USER PASSWORD'.");
        }
        return state;
    }

    private static bool Blank(string? s) => string.IsNullOrWhiteSpace(s);

    private static void Replace(List<StoredCredential> state, StoredCredential? old, StoredCredential replacement, ref bool changed)
    {
        if (old is not null) state.Remove(old);
        state.Add(replacement);
        changed = true;
    }

    private static bool HashMatches(string key, string storedHex)
    {
        if (!ApiKeyHash.TryParse(storedHex, out var stored)) return false;
        Span<byte> hash = stackalloc byte[ApiKeyHash.HashBytes];
        ApiKeyHash.Compute(key, hash);
        return ApiKeyHash.FixedTimeEquals(hash, stored);
    }

    private static string[] ReadWords(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : [];
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Reads the state file; a missing file is empty, an unreadable one is reported and treated as empty.</summary>
    public static List<StoredCredential> ReadState(string path, ILogger logger)
    {
        if (!File.Exists(path)) return [];
        List<StoredCredential>? entries;
        try
        {
            entries = JsonSerializer.Deserialize(File.ReadAllText(path), SecurityJson.Default.ListStoredCredential);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            logger.StateFileUnreadable(path, ex.GetType().Name);
            return [];
        }
        var valid = new List<StoredCredential>();
        for (var i = 0; i < (entries?.Count ?? 0); i++)
        {
            var e = entries![i];
            var ok = e is not null && !Blank(e.Name) && Roles.IsKnown(e.Role) && e.Kind switch
            {
                StoredCredential.ApiKeyKind => ApiKeyHash.TryParse(e.Hash, out _),
                StoredCredential.LoginKind => PasswordHashes.LooksValid(e.Hash),
                _ => false,
            };
            if (ok) valid.Add(e!);
            else logger.StateEntryIgnored(path, i);
        }
        return valid;
    }
}

/// <summary>Writes a file only its owner can read (mode 600), atomically: a temporary file renamed over the target.</summary>
internal static class SecretFile
{
    public static void Write(string path, string content)
    {
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
