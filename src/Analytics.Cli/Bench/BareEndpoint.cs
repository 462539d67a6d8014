using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Cli.Bench;

/// <summary>
/// The baseline: a bare Kestrel endpoint on 127.0.0.1:0 that reads the body (bounded like the collector, 64 KB) and
/// answers 204. What the collector costs on top of HTTP itself is the difference to this.
/// </summary>
public sealed class BareEndpoint : IAsyncDisposable
{
    private const int MaxBody = 64 * 1024;
    private readonly WebApplication _app;

    private BareEndpoint(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The events URL, e.g. <c>http://127.0.0.1:41234/v1/events</c>.</summary>
    public Uri Endpoint { get; }

    public static async Task<BareEndpoint> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.MapPost("/v1/events", async context =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(MaxBody + 1);
            try
            {
                var total = 0;
                int n;
                while (total <= MaxBody && (n = await context.Request.Body.ReadAsync(buffer.AsMemory(total, MaxBody + 1 - total), context.RequestAborted)) > 0)
                {
                    total += n;
                }
                context.Response.StatusCode = total > MaxBody ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status204NoContent;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BareEndpoint(app, new Uri(new Uri(address), "/v1/events"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
