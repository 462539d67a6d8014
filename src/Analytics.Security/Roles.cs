namespace Analytics.Security;

/// <summary>The three roles a key or a dashboard login carries (the <c>Role</c> value in configuration).</summary>
public static class Roles
{
    /// <summary>Reads the shop reports: pages, products, time series.</summary>
    public const string Merchandiser = "merchandiser";

    /// <summary>Reads everything a merchandiser reads and may export.</summary>
    public const string Analyst = "analyst";

    /// <summary>Everything, plus the privacy controls (erasure, retention, key rotation).</summary>
    public const string PrivacyAdmin = "privacy_admin";

    /// <summary>Every known role, in order of growing rights.</summary>
    public static readonly IReadOnlyList<string> All = [Merchandiser, Analyst, PrivacyAdmin];

    /// <summary>Whether <paramref name="role"/> is one of <see cref="All"/> (exact, lower case).</summary>
    public static bool IsKnown(string? role) => role is Merchandiser or Analyst or PrivacyAdmin;
}

/// <summary>Authorization policy names; endpoints opt in with <c>.RequireAuthorization(Policies.ReadStats)</c>.</summary>
public static class Policies
{
    /// <summary>Any of the three roles: the read API and the dashboard.</summary>
    public const string ReadStats = "analytics:read-stats";

    /// <summary>Analyst or privacy admin: bulk exports.</summary>
    public const string Export = "analytics:export";

    /// <summary>Privacy admin only: erasure, retention, key management.</summary>
    public const string PrivacyAdmin = "analytics:privacy-admin";
}

/// <summary>Authentication scheme names.</summary>
public static class AuthSchemes
{
    /// <summary>The default scheme: forwards to <see cref="ApiKey"/> when an API key header is present, else to <see cref="Cookie"/>.</summary>
    public const string Default = "analytics";

    /// <summary><c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>.</summary>
    public const string ApiKey = "api-key";

    /// <summary>The dashboard session cookie set by <c>POST /v1/auth/login</c>.</summary>
    public const string Cookie = "session";
}
