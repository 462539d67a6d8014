-- Distinct visitors and page views per site, day and technology or place: one row per (dimension, value) with
-- dimension 'browser', 'os', 'device' or 'country' (the anonymizer's reduced classes; '' = unknown). Visitors count
-- every event type, page views only page_view. Bots are left out. Feeds dashboard_tech.sql.
-- Deduplication window and the one-time copy of stored events: see 010.
CREATE TABLE IF NOT EXISTS tech_stats_daily
(
    site       LowCardinality(String),
    day        Date,
    dimension  LowCardinality(String),
    value      String,
    page_views SimpleAggregateFunction(sum, UInt64),
    visitors   AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, dimension, value)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 10000;

INSERT INTO tech_stats_daily
SELECT
    site,
    day,
    dim.1 AS dimension,
    dim.2 AS value,
    toUInt64(countIf(type = 'page_view')) AS page_views,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
ARRAY JOIN [('browser', toString(browser)), ('os', toString(os)), ('device', toString(device)), ('country', toString(country))] AS dim
WHERE NOT is_bot AND (SELECT count() FROM tech_stats_daily) = 0
GROUP BY site, day, dimension, value;

CREATE MATERIALIZED VIEW IF NOT EXISTS tech_stats_daily_mv TO tech_stats_daily AS
SELECT
    site,
    day,
    dim.1 AS dimension,
    dim.2 AS value,
    toUInt64(countIf(type = 'page_view')) AS page_views,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
ARRAY JOIN [('browser', toString(browser)), ('os', toString(os)), ('device', toString(device)), ('country', toString(country))] AS dim
WHERE NOT is_bot
GROUP BY site, day, dimension, value;
