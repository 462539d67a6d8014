-- Totals per site and day for the timeseries: page views, product views and distinct visitors over both.
-- Bots are left out; see 002 for why the target table has its own deduplication window.
CREATE TABLE IF NOT EXISTS site_stats_daily
(
    site          LowCardinality(String),
    day           Date,
    page_views    SimpleAggregateFunction(sum, UInt64),
    product_views SimpleAggregateFunction(sum, UInt64),
    visitors      AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS site_stats_daily_mv TO site_stats_daily AS
SELECT
    site,
    day,
    toUInt64(countIf(type = 'page_view')) AS page_views,
    toUInt64(countIf(type = 'product_view')) AS product_views,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE NOT is_bot
GROUP BY site, day;
