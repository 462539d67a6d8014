-- Engagement per site, day and path: how many engagement reports (sent when a page is left), their summed visible
-- time and scroll depth (averages are sums / reports), and distinct visitors. Bots are left out. Feeds
-- dashboard_engagement.sql. Deduplication window and the one-time copy of stored events: see 010.
CREATE TABLE IF NOT EXISTS engagement_stats_daily
(
    site        LowCardinality(String),
    day         Date,
    path        String,
    engagements SimpleAggregateFunction(sum, UInt64),
    engaged_ms  SimpleAggregateFunction(sum, UInt64),
    scroll_pct  SimpleAggregateFunction(sum, UInt64),
    visitors    AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, path)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 10000;

INSERT INTO engagement_stats_daily
SELECT
    site,
    day,
    path,
    toUInt64(count()) AS engagements,
    toUInt64(sum(engaged_ms)) AS engaged_ms,
    toUInt64(sum(scroll_pct)) AS scroll_pct,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE type = 'engagement' AND NOT is_bot AND (SELECT count() FROM engagement_stats_daily) = 0
GROUP BY site, day, path;

CREATE MATERIALIZED VIEW IF NOT EXISTS engagement_stats_daily_mv TO engagement_stats_daily AS
SELECT
    site,
    day,
    path,
    toUInt64(count()) AS engagements,
    toUInt64(sum(engaged_ms)) AS engaged_ms,
    toUInt64(sum(scroll_pct)) AS scroll_pct,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE type = 'engagement' AND NOT is_bot
GROUP BY site, day, path;
