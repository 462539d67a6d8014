using Analytics.Host;
using Analytics.ServiceDefaults;

// One process on embedded defaults; the composition lives in AnalyticsHost so tests run the very same app.
return await AnalyticsHost.Create(args).RunReadablyAsync();
