using System.Globalization;
using Microsoft.Extensions.Options;

namespace Analytics.Security;

/// <summary>Configuration section <c>Auth</c>: who may read, and the development credentials of the quick start.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>API keys, stored as the hex SHA-256 of the key (never the key).</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>Dashboard logins, stored as <c>PasswordHasher</c> (PBKDF2) hashes.</summary>
    public List<UserEntry> Users { get; set; } = [];

    /// <summary>
    /// When set, a development API key is created on first start and written here (mode 600, the key only); its hash
    /// goes to <see cref="StateFile"/>. Relative paths are relative to the working directory. Leave empty in production.
    /// </summary>
    public string? DevelopmentKeyFile { get; set; }

    /// <summary>When set, a development dashboard login <c>admin</c> is created on first start; the file holds <c>admin PASSWORD</c>.</summary>
    public string? DevelopmentUserFile { get; set; }

    /// <summary>Role of the development key and login (default <c>privacy_admin</c>: the developer owns the instance).</summary>
    public string DevelopmentRole { get; set; } = Roles.PrivacyAdmin;

    /// <summary>
    /// The file that keeps the hashes of the development credentials (a JSON list of {name, kind, hash, role, created}).
    /// Default: <c>auth-state.json</c> beside the development key (or login) file.
    /// </summary>
    public string? StateFile { get; set; }

    /// <summary>Idle lifetime of a dashboard session; each request within it extends it (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The brute-force brake of <c>POST /v1/auth/login</c>.</summary>
    public LoginBrakeOptions Login { get; set; } = new();

    /// <summary>
    /// Paths under <c>/dashboard</c> that stay public besides <c>/dashboard/login.html</c> and <c>/dashboard/assets/</c>.
    /// An entry ending in '/' is a prefix.
    /// </summary>
    public List<string> DashboardPublicPaths { get; set; } = [];

    /// <summary>The state file in effect, or null when no development credentials are configured.</summary>
    public string? EffectiveStateFile
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(StateFile)) return StateFile;
            var anchor = !string.IsNullOrWhiteSpace(DevelopmentKeyFile) ? DevelopmentKeyFile : DevelopmentUserFile;
            if (string.IsNullOrWhiteSpace(anchor)) return null;
            // Deliberately not "api-keys.json": tools find the development key as the one-word file whose name contains "api-key".
            return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(anchor)) ?? ".", "auth-state.json");
        }
    }
}

/// <summary>One API key: <c>Hash</c> is the lower- or upper-case hex SHA-256 of the key's UTF-8 text.</summary>
public sealed class ApiKeyEntry
{
    public string Name { get; set; } = "";
    public string Hash { get; set; } = "";
    public string Role { get; set; } = "";
}

/// <summary>One dashboard login: <c>PasswordHash</c> is the output of ASP.NET Core Identity's <c>PasswordHasher</c>.</summary>
public sealed class UserEntry
{
    public string Name { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public string Role { get; set; } = "";
}

/// <summary>Failed-login brake: <see cref="MaxFailures"/> wrong passwords for one username from one address lock that pair for <see cref="Lockout"/>.</summary>
public sealed class LoginBrakeOptions
{
    public int MaxFailures { get; set; } = 5;
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Login attempts per minute from one address, whatever the username (the rate limiter's fixed window).</summary>
    public int AttemptsPerMinute { get; set; } = 20;
}

/// <summary>Checks <see cref="AuthOptions"/> at start; each failure names the setting and never echoes a hash.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    private static readonly string RoleList = string.Join(", ", Roles.All);

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var keyNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"Auth:ApiKeys:{i}");
            if (string.IsNullOrWhiteSpace(key.Name)) failures.Add($"{at}:Name is required.");
            else if (!keyNames.Add(key.Name)) failures.Add($"{at}:Name '{key.Name}' is used twice.");
            if (!ApiKeyHash.TryParse(key.Hash, out _))
            {
                failures.Add($"{at}:Hash must be the 64 hex characters of SHA-256 of the key (printf %s \"$KEY\" | sha256sum).");
            }
            if (!Roles.IsKnown(key.Role)) failures.Add($"{at}:Role '{key.Role}' is not a role; use one of {RoleList}.");
        }
        var userNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"Auth:Users:{i}");
            if (string.IsNullOrWhiteSpace(user.Name) || user.Name.Any(char.IsWhiteSpace)) failures.Add($"{at}:Name is required and may not contain spaces.");
            else if (!userNames.Add(user.Name)) failures.Add($"{at}:Name '{user.Name}' is used twice.");
            if (!PasswordHashes.LooksValid(user.PasswordHash)) failures.Add($"{at}:PasswordHash is not a PasswordHasher hash (base64, format v2 or v3).");
            if (!Roles.IsKnown(user.Role)) failures.Add($"{at}:Role '{user.Role}' is not a role; use one of {RoleList}.");
        }
        if (!string.IsNullOrWhiteSpace(options.DevelopmentKeyFile) || !string.IsNullOrWhiteSpace(options.DevelopmentUserFile))
        {
            if (!Roles.IsKnown(options.DevelopmentRole)) failures.Add($"Auth:DevelopmentRole '{options.DevelopmentRole}' is not a role; use one of {RoleList}.");
        }
        if (options.SessionLifetime <= TimeSpan.Zero) failures.Add("Auth:SessionLifetime must be positive.");
        if (options.Login.MaxFailures < 1) failures.Add("Auth:Login:MaxFailures must be at least 1.");
        if (options.Login.Lockout <= TimeSpan.Zero) failures.Add("Auth:Login:Lockout must be positive.");
        if (options.Login.AttemptsPerMinute < 1) failures.Add("Auth:Login:AttemptsPerMinute must be at least 1.");
        foreach (var path in options.DashboardPublicPaths)
        {
            if (!path.StartsWith("/dashboard/", StringComparison.OrdinalIgnoreCase)) failures.Add($"Auth:DashboardPublicPaths: '{path}' must start with /dashboard/.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
