using System.Text.Json;
using System.Text.Json.Serialization;

namespace Analytics.Security;

/// <summary>One entry of the state file: a development credential, by hash only.</summary>
internal sealed record StoredCredential(string Name, string Kind, string Hash, string Role, DateTimeOffset Created)
{
    public const string ApiKeyKind = "api-key";
    public const string LoginKind = "login";
}

/// <summary>Body of <c>POST /v1/auth/login</c> when sent as JSON.</summary>
internal sealed record LoginRequest(string? Username, string? Password);

/// <summary>Answer of <c>GET /v1/auth/me</c>.</summary>
public sealed record CallerInfo(string Name, string Role);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(List<StoredCredential>))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(CallerInfo))]
internal sealed partial class SecurityJson : JsonSerializerContext
{
    /// <summary>The state file is read by people too: indented.</summary>
    public static SecurityJson State { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
}
