using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Analytics.Security;

/// <summary>The dashboard login: <c>POST /v1/auth/login</c>, <c>POST /v1/auth/logout</c>, <c>GET /v1/auth/me</c>.</summary>
public static class AuthEndpoints
{
    private const int MaxUsername = 128;
    private const int MaxPassword = 1024;

    /// <summary>Maps the login routes under <c>/v1/auth</c>; the login route is rate-limited per client address.</summary>
    public static RouteGroupBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/auth");
        group.MapPost("/login", LoginAsync).AllowAnonymous().RequireRateLimiting(LoginRateLimitPolicy.Name);
        group.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(AuthSchemes.Cookie);
            return Results.NoContent();
        }).AllowAnonymous();
        group.MapGet("/me", (ClaimsPrincipal user) =>
            Results.Json(new CallerInfo(user.Identity?.Name ?? "", user.FindFirstValue(ClaimTypes.Role) ?? ""), SecurityJson.Default.CallerInfo))
            .RequireAuthorization();
        return group;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, CredentialStore credentials, LoginThrottle throttle, IOptions<AuthOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(AuthEndpoints).FullName!);
        var (username, password, problem) = await ReadAsync(context.Request, ct);
        if (problem is not null) return problem;
        var address = context.Connection.RemoteIpAddress;
        if (throttle.IsLocked(username!, address, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return AuthProblems.Problem(StatusCodes.Status429TooManyRequests, AuthProblems.LoginLocked, "Too many failed logins",
                "Too many wrong passwords for this username; try again later.");
        }
        var caller = credentials.VerifyPassword(username!, password!);
        if (caller is null)
        {
            logger.LoginFailed();
            if (throttle.RecordFailure(username!, address)) logger.LoginLocked(options.Value.Login.Lockout.TotalSeconds, options.Value.Login.MaxFailures);
            // One answer for an unknown user and a wrong password.
            return AuthProblems.Problem(StatusCodes.Status401Unauthorized, AuthProblems.LoginFailed, "Login failed", "Wrong username or password.");
        }
        throttle.Reset(username!, address);
        await context.SignInAsync(AuthSchemes.Cookie, CredentialStore.Principal(caller, AuthSchemes.Cookie), new AuthenticationProperties { IsPersistent = false });
        logger.LoginSucceeded(caller.Name);
        return Results.NoContent();
    }

    private static async Task<(string? Username, string? Password, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        string? username, password;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            username = form["username"].Count == 1 ? form["username"][0] : null;
            password = form["password"].Count == 1 ? form["password"][0] : null;
        }
        else if (request.HasJsonContentType())
        {
            LoginRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync(SecurityJson.Default.LoginRequest, ct);
            }
            catch (JsonException)
            {
                return (null, null, Invalid("The body is not valid JSON."));
            }
            username = body?.Username;
            password = body?.Password;
        }
        else
        {
            return (null, null, AuthProblems.Problem(StatusCodes.Status415UnsupportedMediaType, AuthProblems.InvalidLogin, "Unsupported body",
                "Send JSON {\"username\",\"password\"} or a form with username and password."));
        }
        username = username?.Trim();
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password)) return (null, null, Invalid("'username' and 'password' are required."));
        if (username.Length > MaxUsername || password.Length > MaxPassword) return (null, null, Invalid("'username' or 'password' is too long."));
        return (username, password, null);
    }

    private static IResult Invalid(string detail) =>
        AuthProblems.Problem(StatusCodes.Status400BadRequest, AuthProblems.InvalidLogin, "Invalid login request", detail);
}
