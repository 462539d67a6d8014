using Analytics.Contracts;
using Analytics.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Collector.Tests;

/// <summary>A transport that records what the collector hands it, or refuses with a chosen status.</summary>
internal sealed class RecordingTransport : IEventTransport
{
    public List<CollectedEvent> Events { get; } = [];
    public PublishStatus Answer { get; set; } = PublishStatus.Accepted;

    public ValueTask<PublishStatus> PublishAsync(IReadOnlyList<CollectedEvent> events, CancellationToken cancellationToken)
    {
        if (Answer == PublishStatus.Accepted) lock (Events) Events.AddRange(events);
        return ValueTask.FromResult(Answer);
    }
}

/// <summary>The collector alone on an in-memory test server.</summary>
internal sealed class CollectorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    public RecordingTransport Transport { get; }
    public HttpClient Client { get; }

    private CollectorHost(WebApplication app, RecordingTransport transport)
    {
        _app = app;
        Transport = transport;
        Client = app.GetTestClient();
    }

    public static async Task<CollectorHost> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sites:0:Id"] = "demo",
            ["Sites:0:TimeZone"] = "UTC",
            ["Sites:1:Id"] = "strict",
            ["Sites:1:TimeZone"] = "Europe/Berlin",
            ["Sites:1:Origins:0"] = "https://shop.example",
            ["Sites:1:HonorDoNotTrack"] = "false",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCollector();
        var transport = new RecordingTransport();
        builder.Services.AddSingleton<IEventTransport>(transport);
        var app = builder.Build();
        app.MapCollectorEndpoints();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new CollectorHost(app, transport);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
