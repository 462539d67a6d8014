using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Security;

/// <summary>
/// The API keys and logins in effect: those in configuration plus the development ones of the state file. Loaded once,
/// at start (<see cref="Initialize"/>), which is also when missing development credentials are created.
/// </summary>
public sealed class CredentialStore
{
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CredentialStore> _logger;
    private readonly PasswordHasher<CallerInfo> _hasher = new();
    private readonly Lock _gate = new();
    private Snapshot? _snapshot;

    public CredentialStore(IOptions<AuthOptions> options, TimeProvider time, ILogger<CredentialStore> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Where the first-start print of the development key goes (stdout; tests capture it).</summary>
    internal TextWriter Output { get; set; } = Console.Out;

    private sealed record KeyRecord(string Name, byte[] Hash, string Role);

    private sealed record UserRecord(string Name, string PasswordHash, string Role);

    private sealed record Snapshot(KeyRecord[] Keys, Dictionary<string, UserRecord> Users, string DummyHash);

    /// <summary>Creates missing development credentials and loads every credential; later calls do nothing.</summary>
    public void Initialize() => _ = Current;

    private Snapshot Current
    {
        get
        {
            if (Volatile.Read(ref _snapshot) is { } snapshot) return snapshot;
            lock (_gate)
            {
                if (_snapshot is null) Volatile.Write(ref _snapshot, Load());
                return _snapshot!;
            }
        }
    }

    private Snapshot Load()
    {
        var stored = DevelopmentCredentials.Ensure(_options, _hasher, _time, Output, _logger);
        var keys = _options.ApiKeys
            .Select(k => new KeyRecord(k.Name, Convert.FromHexString(k.Hash), k.Role))
            .Concat(stored.Where(c => c.Kind == StoredCredential.ApiKeyKind).Select(c => new KeyRecord(c.Name, Convert.FromHexString(c.Hash), c.Role)))
            .ToArray();
        var users = new Dictionary<string, UserRecord>(StringComparer.OrdinalIgnoreCase);
        foreach (var u in _options.Users) users.TryAdd(u.Name, new UserRecord(u.Name, u.PasswordHash, u.Role));
        foreach (var c in stored.Where(c => c.Kind == StoredCredential.LoginKind)) users.TryAdd(c.Name, new UserRecord(c.Name, c.Hash, c.Role));
        // Unknown usernames are checked against this hash, so they cost as much time as a wrong password.
        var dummy = _hasher.HashPassword(new CallerInfo("", ""), ApiKeyHash.Generate());
        _logger.CredentialsLoaded(keys.Length, users.Count);
        return new Snapshot(keys, users, dummy);
    }

    /// <summary>
    /// The caller a presented API key belongs to, or null. The key is hashed and compared with every stored hash in
    /// constant time; the loop does not stop at a match.
    /// </summary>
    public CallerInfo? FindApiKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > ApiKeyHash.MaxKeyLength) return null;
        Span<byte> hash = stackalloc byte[ApiKeyHash.HashBytes];
        ApiKeyHash.Compute(key, hash);
        KeyRecord? match = null;
        foreach (var record in Current.Keys)
        {
            if (ApiKeyHash.FixedTimeEquals(hash, record.Hash)) match ??= record;
        }
        return match is null ? null : new CallerInfo(match.Name, match.Role);
    }

    /// <summary>
    /// The dashboard user for <paramref name="username"/> and <paramref name="password"/>, or null. An unknown user
    /// costs one PBKDF2 verification like a known one, so timing does not tell which usernames exist.
    /// </summary>
    public CallerInfo? VerifyPassword(string username, string password)
    {
        var snapshot = Current;
        var known = snapshot.Users.TryGetValue(username, out var user);
        var caller = new CallerInfo(user?.Name ?? "", user?.Role ?? "");
        var result = _hasher.VerifyHashedPassword(caller, known ? user!.PasswordHash : snapshot.DummyHash, password);
        return known && result != PasswordVerificationResult.Failed ? caller : null;
    }

    /// <summary>The current role of dashboard user <paramref name="username"/>, or null when the login no longer exists.</summary>
    public string? RoleOfUser(string username) => Current.Users.TryGetValue(username, out var user) ? user.Role : null;

    /// <summary>A principal for <paramref name="caller"/> authenticated by <paramref name="scheme"/>.</summary>
    public static ClaimsPrincipal Principal(CallerInfo caller, string scheme) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, caller.Name), new Claim(ClaimTypes.Role, caller.Role), new Claim(AuthMethodClaim, scheme)],
            scheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>Claim type that says how the caller authenticated (<see cref="AuthSchemes.ApiKey"/> or <see cref="AuthSchemes.Cookie"/>).</summary>
    public const string AuthMethodClaim = "analytics:auth-method";
}
