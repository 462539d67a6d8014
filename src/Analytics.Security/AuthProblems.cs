using Microsoft.AspNetCore.Http;

namespace Analytics.Security;

/// <summary>RFC 7807 answers of the security layer, one stable <c>type</c> per reason.</summary>
public static class AuthProblems
{
    public const string Unauthenticated = "https://analytics.invalid/problems/unauthenticated";
    public const string Forbidden = "https://analytics.invalid/problems/forbidden";
    public const string LoginFailed = "https://analytics.invalid/problems/login-failed";
    public const string LoginLocked = "https://analytics.invalid/problems/login-locked";
    public const string InvalidLogin = "https://analytics.invalid/problems/invalid-login-request";

    internal static IResult Problem(int status, string type, string title, string detail) =>
        Results.Problem(statusCode: status, type: type, title: title, detail: detail);

    internal static Task WriteUnauthenticatedAsync(HttpContext context, string? detail = null) =>
        Problem(StatusCodes.Status401Unauthorized, Unauthenticated, "Authentication required",
            detail ?? "Send an API key ('Authorization: Bearer KEY' or 'X-Api-Key: KEY') or log in at POST /v1/auth/login.").ExecuteAsync(context);

    internal static Task WriteForbiddenAsync(HttpContext context) =>
        Problem(StatusCodes.Status403Forbidden, Forbidden, "Forbidden", "Your role may not use this endpoint.").ExecuteAsync(context);
}
