using System.Globalization;
using System.Text.Json;
using Analytics.Storage;
using Analytics.Storage.ChDb;
using Analytics.TestUtilities;

namespace Analytics.Storage.Tests;

/// <summary>Gives each test class its own migrated database on the shared engine.</summary>
public abstract class StoreTestBase(ChDbFixture engine) : IAsyncLifetime
{
    protected ChDbFixture Engine { get; } = engine;

    protected ChDbStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static DateOnly Today => AnonymizedEvents.Today;

    protected static IReadOnlyDictionary<string, string> NoParameters { get; } = new Dictionary<string, string>();

    public virtual async ValueTask InitializeAsync() => Store = await Engine.CreateStoreAsync(GetType().Name, Ct);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected static Dictionary<string, string> Range(string site, DateOnly from, DateOnly to, int minVisitors = 0, int limit = 100) => new()
    {
        ["site"] = site,
        ["from"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["min_visitors"] = minVisitors.ToString(CultureInfo.InvariantCulture),
        ["limit"] = limit.ToString(CultureInfo.InvariantCulture),
    };

    protected Task<IReadOnlyList<JsonElement>> Run(string query, Dictionary<string, string> parameters) =>
        Store.QueryAsync(StoreQueries.Get(query), parameters, Ct);

    protected async Task<ulong> Scalar(string sql, Dictionary<string, string>? parameters = null)
    {
        var rows = await Store.QueryAsync(sql, parameters ?? [], Ct);
        return Assert.Single(rows).EnumerateObject().Single().Value.GetUInt64();
    }
}
