using Analytics.Collector;
using Analytics.ServiceDefaults;
using Analytics.Transport.KafkaTransport;

// The public collector: validates beacon batches and answers once Kafka has acknowledged them. Never touches the store.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddConfiguredTransport(builder.Configuration, TransportSelection.Kafka);
builder.AddCollector();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCollectorEndpoints();
return await app.RunReadablyAsync();
