using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Analytics.Security;

/// <summary>
/// Guards everything under <c>/dashboard</c> (static pages included, which have no endpoint to carry a policy) with
/// <see cref="Policies.ReadStats"/>, except the login page and its assets. An anonymous browser is redirected to the
/// login page; a caller without a reading role gets 403.
/// </summary>
internal sealed class DashboardGuard(RequestDelegate next, IOptions<AuthOptions> options, IAuthorizationService authorization)
{
    private readonly string[] _public = [DashboardPaths.LoginPage, DashboardPaths.Assets, .. options.Value.DashboardPublicPaths];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!DashboardPaths.IsDashboard(context.Request.Path) || IsPublic(context.Request.Path))
        {
            await next(context);
            return;
        }
        var result = await authorization.AuthorizeAsync(context.User, Policies.ReadStats);
        if (result.Succeeded) await next(context);
        else if (context.User.Identity?.IsAuthenticated == true) await context.ForbidAsync();
        else await context.ChallengeAsync();
    }

    private bool IsPublic(PathString path)
    {
        foreach (var entry in _public)
        {
            var match = entry.EndsWith('/')
                ? path.StartsWithSegments(entry.TrimEnd('/'), StringComparison.OrdinalIgnoreCase, out var rest) && rest.HasValue
                : path.Equals(entry, StringComparison.OrdinalIgnoreCase);
            if (match) return true;
        }
        return false;
    }
}

/// <summary>The dashboard's paths known to the security layer.</summary>
public static class DashboardPaths
{
    /// <summary>Where an anonymous browser is sent; public.</summary>
    public const string LoginPage = "/dashboard/login.html";

    /// <summary>Public prefix for the login page's styles and scripts.</summary>
    public const string Assets = "/dashboard/assets/";

    /// <summary>
    /// The login page, with <c>?return=</c> naming the page asked for unless that is the dashboard's start page
    /// (so <c>/dashboard/</c> redirects to exactly <see cref="LoginPage"/>).
    /// </summary>
    public static string LoginRedirect(PathString path, QueryString query)
    {
        if (path.Value is null or "/dashboard" or "/dashboard/" && !query.HasValue) return LoginPage;
        return LoginPage + "?return=" + Uri.EscapeDataString(path.Value + query.Value);
    }

    /// <summary>Whether <paramref name="path"/> is <c>/dashboard</c> or below it.</summary>
    public static bool IsDashboard(PathString path) => path.StartsWithSegments("/dashboard", StringComparison.OrdinalIgnoreCase);
}
