using Analytics.Dashboard;
using Analytics.Security;
using Analytics.ServiceDefaults;
using Analytics.Stats;
using Analytics.Storage;

// The read side: stats API and merchandiser dashboard over the aggregates, behind API keys and logins.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddAnalyticsStorage();
builder.AddStats();
builder.AddAnalyticsSecurity();

var app = builder.Build();
app.UseAnalyticsSecurity();
app.MapDefaultEndpoints();
app.MapAuthEndpoints();
app.MapStatsEndpoints().RequireAuthorization(Policies.ReadStats);
app.MapDashboard();
return await app.RunReadablyAsync();
