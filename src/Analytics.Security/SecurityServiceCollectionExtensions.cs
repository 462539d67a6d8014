using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Analytics.Security;

/// <summary>Registers and switches on access control: API keys, dashboard sessions, roles and policies.</summary>
public static class SecurityServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates section <c>Auth</c>; adds the API-key and cookie schemes behind one default scheme that
    /// picks by header, the <see cref="Policies"/>, the login brake, and the start-up step that loads credentials
    /// (creating the development ones when configured).
    /// </summary>
    public static IHostApplicationBuilder AddAnalyticsSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CredentialStore>();
        services.AddSingleton<LoginThrottle>();
        services.AddHostedService<CredentialStartup>();
        services.AddProblemDetails();

        services.AddAuthentication(AuthSchemes.Default)
            .AddPolicyScheme(AuthSchemes.Default, "API key or dashboard session", o =>
                o.ForwardDefaultSelector = context => ApiKeyAuthenticationHandler.HasKeyHeader(context.Request) ? AuthSchemes.ApiKey : AuthSchemes.Cookie)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(AuthSchemes.ApiKey, null)
            .AddCookie(AuthSchemes.Cookie, ConfigureCookie);
        services.AddSingleton<SessionTicketStore>();
        services.AddOptions<CookieAuthenticationOptions>(AuthSchemes.Cookie)
            .Configure<IOptions<AuthOptions>, SessionTicketStore, TimeProvider>((cookie, auth, sessions, time) =>
            {
                cookie.ExpireTimeSpan = auth.Value.SessionLifetime;
                cookie.SessionStore = sessions;
                cookie.TimeProvider = time;
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.ReadStats, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.Export, p => p.RequireRole(Roles.Analyst, Roles.PrivacyAdmin))
            .AddPolicy(Policies.PrivacyAdmin, p => p.RequireRole(Roles.PrivacyAdmin));
        services.AddRateLimiter(o => o.AddPolicy<string, LoginRateLimitPolicy>(LoginRateLimitPolicy.Name));
        return builder;
    }

    /// <summary>
    /// Authentication, the <c>/dashboard</c> guard, authorization and the login rate limiter. Call it before static
    /// files, so dashboard pages are guarded too.
    /// </summary>
    public static IApplicationBuilder UseAnalyticsSecurity(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseMiddleware<DashboardGuard>();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions o)
    {
        o.Cookie.Name = "analytics_session";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Strict;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Cookie.IsEssential = true;
        o.SlidingExpiration = true;
        o.LoginPath = DashboardPaths.LoginPage;
        o.Events.OnRedirectToLogin = context =>
        {
            // Browsers on dashboard pages go to the login page; API callers get a problem, never a redirect.
            if (DashboardPaths.IsDashboard(context.Request.Path))
            {
                context.Response.Redirect(DashboardPaths.LoginRedirect(context.Request.Path, context.Request.QueryString));
                return Task.CompletedTask;
            }
            return AuthProblems.WriteUnauthenticatedAsync(context.HttpContext);
        };
        o.Events.OnRedirectToAccessDenied = context => AuthProblems.WriteForbiddenAsync(context.HttpContext);
        o.Events.OnValidatePrincipal = async context =>
        {
            // A login removed from the configuration, or given another role, takes effect on the next request.
            var name = context.Principal?.Identity?.Name;
            var role = name is null ? null : context.HttpContext.RequestServices.GetRequiredService<CredentialStore>().RoleOfUser(name);
            if (role is null)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(AuthSchemes.Cookie);
            }
            else if (context.Principal!.FindFirstValue(ClaimTypes.Role) != role)
            {
                context.ReplacePrincipal(CredentialStore.Principal(new CallerInfo(name!, role), AuthSchemes.Cookie));
                context.ShouldRenew = true;
            }
        };
    }

    /// <summary>Loads credentials at start (after options validation, before the server listens).</summary>
    private sealed class CredentialStartup(CredentialStore credentials) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            credentials.Initialize();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
