extern alias cli;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Analytics.Host;
using Analytics.Storage.ChDb;
using Analytics.TestUtilities;
using cli::Analytics.Cli.Evaluation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Analytics.Recommendations.Tests;

/// <summary>The serving endpoints on the real host composition.</summary>
public sealed class HostTests(ChDbFixture chdb)
{
    private const string ApiKey = "reco-test-key-8f2b7c1d9e0a4b3c";

    [Fact]
    public async Task Serves_recommendations_export_and_layout_behind_auth_and_never_the_product_itself()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = ChDbFixture.NewDatabaseName("reco_host");
        var config = new Dictionary<string, string?>(chdb.ConfigurationFor(database))
        {
            ["Stats:MinVisitors"] = "5",
            ["Auth:ApiKeys:0:Name"] = "reco",
            ["Auth:ApiKeys:0:Role"] = "analyst",
            ["Auth:ApiKeys:0:Hash"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey))),
            ["Auth:DevelopmentKeyFile"] = "",
            ["Auth:DevelopmentUserFile"] = "",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = AnalyticsHost.Create(["--urls", "http://127.0.0.1:0"], config);
        await app.StartAsync(ct);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            await using (var store = new ChDbStore(chdb.OptionsFor(database, poolSize: 2)))
            {
                var shop = new PlantedShop(new PlantedShopOptions { Seed = 21, Products = 60, VisitorsPerDay = 300, Days = 1 });
                await store.InsertEventsAsync(shop.Sessions().SelectMany(shop.Events).ToList(), "host-1", ct);
            }

            await app.Services.GetRequiredService<RecommendationJob>().RunAsync("demo", ct);
            using var anonymous = new HttpClient { BaseAddress = new Uri(address) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/recommendations/P00000?site=demo", ct)).StatusCode);

            using var client = new HttpClient { BaseAddress = new Uri(address) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
            using var one = JsonDocument.Parse(await client.GetStringAsync("/v1/recommendations/P00000?site=demo&k=5", ct));
            var recs = one.RootElement.GetProperty("recommendations").EnumerateArray().Select(r => r.GetProperty("product_id").GetString()).ToList();
            Assert.Equal(5, recs.Count);
            Assert.DoesNotContain("P00000", recs);
            Assert.False(one.RootElement.GetProperty("fallback").GetBoolean());

            using var unknown = JsonDocument.Parse(await client.GetStringAsync("/v1/recommendations/NOPE?site=demo", ct));
            Assert.True(unknown.RootElement.GetProperty("fallback").GetBoolean());
            Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/v1/recommendations/P00000?site=demo&k=0", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/recommendations/P00000?site=nope", ct)).StatusCode);

            var export = await client.GetAsync("/v1/recommendations/export?site=demo", ct);
            Assert.Equal("application/jsonl", export.Content.Headers.ContentType!.MediaType);
            var lines = (await export.Content.ReadAsStringAsync(ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length > 10);
            foreach (var line in lines)
            {
                using var doc = JsonDocument.Parse(line);
                var product = doc.RootElement.GetProperty("product_id").GetString();
                Assert.DoesNotContain(doc.RootElement.GetProperty("recommendations").EnumerateArray(), r => r.GetProperty("product_id").GetString() == product);
            }

            var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            using var layout = JsonDocument.Parse(await client.GetStringAsync($"/v1/stats/layout?site=demo&from={today}&to={today}", ct));
            var positions = layout.RootElement.GetProperty("positions").EnumerateArray().ToList();
            Assert.InRange(positions.Count, 5, PlantedShop.GridSlots);
            Assert.All(positions, p => Assert.InRange(p.GetProperty("ctr").GetDouble(), p.GetProperty("ctr_low").GetDouble(), p.GetProperty("ctr_high").GetDouble()));
            Assert.NotEmpty(layout.RootElement.GetProperty("page_types").EnumerateArray());
            Assert.NotEmpty(layout.RootElement.GetProperty("entry_pages").EnumerateArray());
            using var trending = JsonDocument.Parse(await client.GetStringAsync($"/v1/stats/trending?site=demo&from={today}&to={today}", ct));
            Assert.NotEmpty(trending.RootElement.GetProperty("categories").EnumerateArray());
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }
}
