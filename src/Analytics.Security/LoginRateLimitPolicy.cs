using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Analytics.Security;

/// <summary>
/// At most <see cref="LoginBrakeOptions.AttemptsPerMinute"/> login attempts per minute from one client address, whatever
/// the username: the coarse brake in front of <see cref="LoginThrottle"/>'s per-username lockout.
/// </summary>
internal sealed class LoginRateLimitPolicy(IOptions<AuthOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "analytics-login";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = static async (context, _) =>
    {
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        await AuthProblems.Problem(StatusCodes.Status429TooManyRequests, AuthProblems.LoginLocked, "Too many login attempts",
            "Too many login attempts from this address; try again in a minute.").ExecuteAsync(context.HttpContext);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetFixedWindowLimiter(httpContext.Connection.RemoteIpAddress?.ToString() ?? "-", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.Login.AttemptsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
