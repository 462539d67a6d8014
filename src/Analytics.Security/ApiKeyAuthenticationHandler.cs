using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Analytics.Security;

/// <summary>Options of <see cref="ApiKeyAuthenticationHandler"/> (none beyond the base ones).</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// Authenticates <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c> against the stored key hashes; answers
/// challenges and denials with problem+json, never a redirect.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, CredentialStore credentials)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    /// <summary>The alternative key header.</summary>
    public const string KeyHeader = "X-Api-Key";

    /// <summary>Whether the request carries either key header (the default scheme then picks this handler).</summary>
    public static bool HasKeyHeader(HttpRequest request) =>
        request.Headers.ContainsKey(KeyHeader) || request.Headers.ContainsKey(HeaderNames.Authorization);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers;
        string? bearer = null;
        if (headers.TryGetValue(HeaderNames.Authorization, out var authorization))
        {
            var value = authorization.Count == 1 ? authorization[0] ?? "" : "";
            if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Fail("unsupported Authorization header");
            bearer = value["Bearer ".Length..].Trim();
        }
        string? header = null;
        if (headers.TryGetValue(KeyHeader, out var keyHeader))
        {
            if (keyHeader.Count != 1) return Fail("more than one X-Api-Key header");
            header = keyHeader[0]?.Trim();
        }
        if (bearer is not null && header is not null && !string.Equals(bearer, header, StringComparison.Ordinal)) return Fail("two different keys");
        var key = bearer ?? header;
        if (key is null) return Task.FromResult(AuthenticateResult.NoResult());
        if (key.Length == 0) return Fail("empty key");
        var caller = credentials.FindApiKey(key);
        if (caller is null) return Fail("unknown key");
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(CredentialStore.Principal(caller, Scheme.Name), Scheme.Name)));
    }

    private Task<AuthenticateResult> Fail(string reason)
    {
        Logger.ApiKeyRejected(reason);
        return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var rejected = (await HandleAuthenticateOnceSafeAsync()).Failure is not null;
        Response.Headers.WWWAuthenticate = rejected ? "Bearer realm=\"analytics\", error=\"invalid_token\"" : "Bearer realm=\"analytics\"";
        await AuthProblems.WriteUnauthenticatedAsync(Context, rejected ? "The API key is not valid." : null);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AuthProblems.WriteForbiddenAsync(Context);
}
