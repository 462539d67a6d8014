-- Page views and distinct visitors per site, day and referrer host (the only part of a referrer that is stored;
-- '' = direct or unknown). Bots are left out. Feeds the dashboard's referrer table (dashboard_referrers.sql).
-- Like 002-004 the target table has its own non_replicated_deduplication_window, so a retried block is not counted
-- twice here. Events already stored (at most 30 days, the events TTL) are copied in once, before the view exists:
-- migrations run before the pipeline starts, and the copy is skipped when the table already has rows, so a
-- migration interrupted half-way and applied again does not count anything twice.
CREATE TABLE IF NOT EXISTS referrer_stats_daily
(
    site          LowCardinality(String),
    day           Date,
    referrer_host String,
    page_views    SimpleAggregateFunction(sum, UInt64),
    visitors      AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, referrer_host)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 10000;

INSERT INTO referrer_stats_daily
SELECT
    site,
    day,
    toString(referrer_host) AS referrer_host,
    toUInt64(count()) AS page_views,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE type = 'page_view' AND NOT is_bot AND (SELECT count() FROM referrer_stats_daily) = 0
GROUP BY site, day, referrer_host;

CREATE MATERIALIZED VIEW IF NOT EXISTS referrer_stats_daily_mv TO referrer_stats_daily AS
SELECT
    site,
    day,
    toString(referrer_host) AS referrer_host,
    toUInt64(count()) AS page_views,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE type = 'page_view' AND NOT is_bot
GROUP BY site, day, referrer_host;
