using Analytics.Anonymizer;
using Analytics.Collector;
using Analytics.Host;
using Analytics.ServiceDefaults;
using Analytics.Stats;
using Analytics.Storage;
using Analytics.Transport;

// One process, embedded defaults: collector → in-process channel → anonymizer → chDB → stats API.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddServiceDefaults();
builder.Services.AddInProcessTransport();
builder.Services.AddAnalyticsStorage();
builder.AddCollector();
builder.AddAnonymizer();
builder.AddStats();

var app = builder.Build();
app.UseDemoStore();
app.MapDefaultEndpoints();
app.MapCollectorEndpoints();
app.MapStatsEndpoints();
app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));
return await app.RunReadablyAsync(a => a.Services.MigrateAnalyticsStorageAsync(a.Lifetime.ApplicationStopping));

/// <summary>Entry point type, visible to end-to-end tests.</summary>
public partial class Program;
