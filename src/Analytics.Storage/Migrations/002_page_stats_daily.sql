-- Page views and distinct visitors per site, day and path. Bots are left out.
-- Visitors are counted exactly (uniqExact) over visitor keys; key 0 means "no key for that day" and is not a visitor.
-- The target table has its own non_replicated_deduplication_window: without it a retried block (same
-- insert_deduplication_token) is dropped from events but counted twice here.
CREATE TABLE IF NOT EXISTS page_stats_daily
(
    site     LowCardinality(String),
    day      Date,
    path     String,
    views    SimpleAggregateFunction(sum, UInt64),
    visitors AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, path)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS page_stats_daily_mv TO page_stats_daily AS
SELECT
    site,
    day,
    path,
    toUInt64(count()) AS views,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE type = 'page_view' AND NOT is_bot
GROUP BY site, day, path;
