using Analytics.Anonymizer;
using Analytics.ServiceDefaults;
using Analytics.Storage;
using Analytics.Transport.KafkaTransport;

// The anonymizer worker: Kafka raw topic → enrich, then forget → ClickHouse. Serves only health and metrics.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddConfiguredTransport(builder.Configuration, TransportSelection.Kafka);
builder.Services.AddAnalyticsStorage();
builder.AddAnonymizer();

var app = builder.Build();
app.MapDefaultEndpoints();
return await app.RunReadablyAsync();
