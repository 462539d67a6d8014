using Analytics.Host;
using Analytics.ServiceDefaults;

// One process on embedded defaults; the composition lives in AnalyticsHost so tests run the very same app.
WebApplication app;
try
{
    app = AnalyticsHost.Create(args);
}
catch (InvalidOperationException ex)
{
    // A setting that decides the composition itself (e.g. Transport:Kind) is checked while composing.
    await Console.Error.WriteLineAsync("Configuration error: " + ex.Message);
    return 2;
}
return await app.RunReadablyAsync();
