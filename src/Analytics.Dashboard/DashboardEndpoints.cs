using System.Diagnostics.Metrics;
using Analytics.Security;
using Analytics.Stats;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Analytics.Dashboard;

/// <summary>
/// The routes <see cref="DashboardEndpoints.MapDashboard"/> mapped, grouped by who may reach them: <see cref="Pages"/>
/// and <see cref="Api"/> require <see cref="Policies.ReadStats"/>, <see cref="Export"/> <see cref="Policies.Export"/>,
/// <see cref="Public"/> (login page, assets) nobody. A host may add more conventions (rate limits, CORS).
/// </summary>
public sealed record DashboardRoutes(RouteGroupBuilder Pages, RouteGroupBuilder Public, RouteGroupBuilder Api, RouteGroupBuilder Export);

/// <summary>Serves the merchandiser dashboard at <c>/dashboard/</c> and the stats routes it reads.</summary>
public static class DashboardEndpoints
{
    /// <summary>The dashboard's pages (wwwroot/NAME.html); <c>/dashboard/</c> is <c>index.html</c>.</summary>
    public static readonly IReadOnlyList<string> PageNames = ["index", "products", "product", "sources", "realtime", "lists"];

    /// <summary>
    /// Maps <c>/dashboard/</c> (pages, <c>login.html</c>, <c>assets/*</c>), the dashboard stats API under
    /// <c>/v1/stats/</c> (see <see cref="DashboardStatsEndpoints"/>) and <c>GET /v1/stats/dropped</c> (what the
    /// collector in this process did not keep), each with its authorization policy. Needs
    /// <c>AddStats()</c> and <c>AddAnalyticsSecurity()</c>.
    /// </summary>
    public static DashboardRoutes MapDashboard(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("/dashboard");
        pages.MapGet("/", (HttpContext http) =>
            http.Request.Path.Value?.EndsWith('/') == true ? Serve(http, "index.html", html: true) : Results.Redirect("/dashboard/"));
        pages.MapGet("/{page}.html", (HttpContext http, string page) =>
            PageNames.Contains(page) ? Serve(http, page + ".html", html: true) : Results.NotFound());

        var open = app.MapGroup("/dashboard");
        open.MapGet("/login.html", (HttpContext http) => Serve(http, "login.html", html: true));
        open.MapGet("/assets/{**file}", (HttpContext http, string file) => Serve(http, "assets/" + file, html: false));

        var (api, export) = app.MapDashboardStatsEndpoints();
        var drops = app.ServiceProvider.GetService<CollectorDropCounter>() ?? new CollectorDropCounter(
            app.ServiceProvider.GetRequiredService<IMeterFactory>(),
            app.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System);
        app.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(drops.Dispose);
        api.MapGet("/dropped", () => Results.Json(drops.Snapshot()));

        // Authorization is part of mapping, not left to each host: there is no unguarded way to serve these routes.
        pages.RequireAuthorization(Policies.ReadStats);
        open.AllowAnonymous();
        api.RequireAuthorization(Policies.ReadStats);
        export.RequireAuthorization(Policies.Export);
        return new DashboardRoutes(pages, open, api, export);
    }

    private static IResult Serve(HttpContext http, string path, bool html)
    {
        if (!DashboardAssets.TryGet(path, out var asset)) return Results.NotFound();
        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        if (html)
        {
            // The pages load only their own scripts and talk only to this origin.
            headers.ContentSecurityPolicy =
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
            headers["Referrer-Policy"] = "no-referrer";
        }

        if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Body, asset.ContentType);
    }
}
