using System.Globalization;
using System.Security.Cryptography;
using Analytics.Contracts;
using Analytics.Privacy;
using Analytics.Recommendations;
using Analytics.Storage;

namespace Analytics.Cli.Evaluation;

/// <summary>Metrics of one model on one protocol.</summary>
public sealed record ModelScore(string Model, RankingMetrics All, RankingMetrics NonRepeat, RankingMetrics Last);

/// <summary>Result of the planted-structure evaluation (leave the last product of each test session out).</summary>
public sealed record PlantedResult(int TrainSessions, int TestSessions, long Events, RankingMetrics Job, RankingMetrics Popularity, RecommendationRun Run);

/// <summary>Result of the session-log evaluation.</summary>
public sealed record LogResult(int TrainSessions, int ReplayedSessions, long ReplayedEvents, int TestSessions, long Targets, long RepeatTargets,
    IReadOnlyList<ModelScore> Scores, IReadOnlyList<RecommendationRun> Runs, TimeSpan Shift);

/// <summary>
/// Offline evaluation of the recommendation job against baselines. Events go straight into the store as anonymized
/// rows (what the anonymizer writes), then the real job runs on the store and its stored lists are read back as the
/// serving endpoint reads them.
/// </summary>
public static class OfflineEvaluation
{
    /// <summary>(a) Planted co-view structure: job vs popularity, hit rate and NDCG at 10, leave-last-product-out.</summary>
    public static async Task<PlantedResult> RunPlantedAsync(IAnalyticsStore store, PlantedShopOptions options, RecommendationSettings settings,
        TimeProvider time, CancellationToken ct)
    {
        var shop = new PlantedShop(options);
        var rng = new Random(options.Seed + 99);
        var train = new List<IReadOnlyList<string>>();
        var tests = new List<PlantedSession>();
        var events = new List<AnonymizedEvent>();
        long total = 0;
        var batch = 0;
        foreach (var s in shop.Sessions())
        {
            var isTest = !s.IsBot && s.Products.Count >= 2 && rng.NextDouble() < 0.2;
            var shown = isTest ? s.Products.Take(s.Products.Count - 1).ToList() : s.Products;
            if (isTest) tests.Add(s);
            if (!s.IsBot) train.Add(shown);
            events.AddRange(shop.Events(s, shown));
            if (events.Count >= 50_000)
            {
                total += events.Count;
                await store.InsertEventsAsync(events, $"planted-{options.Seed}-{batch++}", ct);
                events.Clear();
            }
        }

        total += events.Count;
        if (events.Count > 0) await store.InsertEventsAsync(events, $"planted-{options.Seed}-{batch}", ct);

        var job = new RecommendationJob(store, settings, time);
        var run = (await job.RunAsync(options.Site, ct))[0];
        var lists = await ReadListsAsync(store, options.Site, ct);
        var model = new StoredListsModel("job", lists);
        var popularity = new PopularityModel(train);
        var (jobMetrics, popMetrics) = (new RankingMetrics(10), new RankingMetrics(10));
        foreach (var t in tests)
        {
            var current = t.Products[^2];
            var target = t.Products[^1];
            jobMetrics.Add(model.Recommend(current, 10), target);
            popMetrics.Add(popularity.Recommend(current, 10), target);
        }

        return new PlantedResult(train.Count - tests.Count, tests.Count, total, jobMetrics, popMetrics, run);
    }

    /// <summary>
    /// (b) A real session log: training sessions replayed as product views (one visitor per session: its own client
    /// IP hashed with the day's key, as the anonymizer does), the job run with suppression on and off, and every test
    /// session's next items predicted from the current item by the job and by the baselines.
    /// </summary>
    public static async Task<LogResult> RunLogAsync(IAnalyticsStore store, IReadOnlyList<LoggedSession> train, IReadOnlyList<LoggedSession> test,
        string site, RecommendationSettings on, TimeProvider time, int cutoff, Action<string> progress, CancellationToken ct)
    {
        // Shift the log by whole days so its last training event is at most a day and an hour ago: events older than 30
        // days would fall to the TTL, and the job reads a window of recent days. Whole days keep every event's time of
        // day, so the (daily) visitor keys change at the log's own midnight (4 of YOOCHOOSE's 17,794 training sessions
        // cross it) and not at a random hour of peak traffic, and repeated runs see the same sessions. Only the last
        // window of training days is replayed.
        var now = time.GetUtcNow();
        var last = train.Max(s => s.Times[^1]);
        var shift = TimeSpan.FromDays(Math.Floor((now.AddHours(-1).ToUnixTimeMilliseconds() / 1000.0 - last) / 86_400));
        var oldest = now.AddDays(-(on.WindowDays - 1));
        var keys = new Dictionary<DateOnly, byte[]>();
        const string userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        var rows = new List<AnonymizedEvent>();
        long replayed = 0;
        var replayedSessions = 0;
        var batch = 0;
        for (var index = 0; index < train.Count; index++)
        {
            var session = train[index];
            var ip = string.Create(CultureInfo.InvariantCulture, $"10.{(index >> 16) & 255}.{(index >> 8) & 255}.{index & 255}");
            var any = false;
            for (var i = 0; i < session.Items.Count; i++)
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds((long)(session.Times[i] * 1000)) + shift;
                if (at < oldest) continue;
                any = true;
                var day = DateOnly.FromDateTime(at.UtcDateTime);
                if (!keys.TryGetValue(day, out var key)) keys[day] = key = RandomNumberGenerator.GetBytes(32);
                var id = session.Items[i];
                rows.Add(new AnonymizedEvent
                {
                    Site = site,
                    EventId = Guid.NewGuid(),
                    Type = EventTypes.ProductView,
                    Timestamp = at.UtcDateTime,
                    Day = day,
                    VisitorKey = VisitorHasher.Compute(key, site, ip, userAgent),
                    Path = "/p/" + id,
                    ProductId = id,
                    ProductName = id,
                    ProductCategory = "",
                    Browser = "Firefox",
                    Os = "Linux",
                    Device = "desktop",
                });
            }

            if (any) replayedSessions++;
            if (rows.Count >= 50_000)
            {
                replayed += rows.Count;
                await store.InsertEventsAsync(rows, $"log-{batch++}", ct);
                rows.Clear();
            }
        }

        replayed += rows.Count;
        if (rows.Count > 0) await store.InsertEventsAsync(rows, $"log-{batch}", ct);
        foreach (var key in keys.Values) CryptographicOperations.ZeroMemory(key);
        progress($"replayed {replayed:N0} product views of {replayedSessions:N0} sessions; running the job (k={on.MinVisitors}) ...");

        var runs = new List<RecommendationRun>();
        var jobOn = new RecommendationJob(store, on with { ListLength = Math.Max(on.ListLength, cutoff) }, time);
        runs.Add((await jobOn.RunAsync(site, ct))[0]);
        var listsOn = await ReadListsAsync(store, site, ct);
        progress("running the job without suppression (k=1) ...");
        var jobOff = new RecommendationJob(store, on with { MinVisitors = 1, ListLength = Math.Max(on.ListLength, cutoff) }, time);
        runs.Add((await jobOff.RunAsync(site, ct))[0]);
        var listsOff = await ReadListsAsync(store, site, ct);

        var sessions = train.Select(s => s.Items).ToList();
        var popularity = new PopularityModel(sessions);
        INextItemModel[] models =
        [
            new StoredListsModel($"job, suppression on (k={on.MinVisitors})", listsOn),
            new StoredListsModel("job, suppression off (k=1)", listsOff),
            popularity,
            new CosineModel(sessions, popularity),
            new SequentialRulesModel(sessions, popularity),
        ];
        if (on.MinVisitors > 1)
        {
            // The fair comparison for suppression on: the baselines see only the pairs the job may see.
            var support = new PairSupport(sessions, on.MinVisitors);
            models = [.. models, new CosineModel(sessions, popularity, support), new SequentialRulesModel(sessions, popularity, support: support)];
        }

        var scores = models.Select(m => new ModelScore(m.Name, new RankingMetrics(cutoff), new RankingMetrics(cutoff), new RankingMetrics(cutoff))).ToList();
        long targets = 0, repeats = 0;
        foreach (var s in test)
        {
            for (var t = 0; t + 1 < s.Items.Count; t++)
            {
                var current = s.Items[t];
                var target = s.Items[t + 1];
                var repeat = string.Equals(current, target, StringComparison.Ordinal);
                targets++;
                if (repeat) repeats++;
                for (var m = 0; m < models.Length; m++)
                {
                    var list = models[m].Recommend(current, cutoff);
                    scores[m].All.Add(list, target);
                    if (!repeat) scores[m].NonRepeat.Add(list, target);
                    if (t + 2 == s.Items.Count) scores[m].Last.Add(list, target);
                }
            }
        }

        return new LogResult(train.Count, replayedSessions, replayed, test.Count, targets, repeats, scores, runs, shift);
    }

    /// <summary>Every stored list of the current version (what the export endpoint serves).</summary>
    public static async Task<Dictionary<string, List<string>>> ReadListsAsync(IAnalyticsStore store, string site, CancellationToken ct)
    {
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var row in await store.QueryAsync(StoreQueries.Get("reco_export"), new Dictionary<string, string> { ["site"] = site }, ct))
        {
            var product = row.GetProperty("product_id").GetString()!;
            if (!lists.TryGetValue(product, out var list)) lists[product] = list = [];
            list.Add(row.GetProperty("recommended_id").GetString()!);
        }

        return lists;
    }

    /// <summary>Planted-shop sessions in the benchmark log format: all but the last day for training, the last for test.</summary>
    public static (List<LoggedSession> Train, List<LoggedSession> Test) GenerateLog(PlantedShopOptions options)
    {
        var shop = new PlantedShop(options);
        var train = new List<LoggedSession>();
        var test = new List<LoggedSession>();
        foreach (var s in shop.Sessions().Where(s => !s.IsBot))
        {
            var times = s.Products.Select((_, i) => s.StartMs / 1000.0 + i * 60).ToList();
            var logged = new LoggedSession(s.Index.ToString(CultureInfo.InvariantCulture), s.Products, times);
            (s.Day == options.LastDay ? test : train).Add(logged);
        }

        return (train, test.Where(s => s.Items.Count >= 2).ToList());
    }
}
