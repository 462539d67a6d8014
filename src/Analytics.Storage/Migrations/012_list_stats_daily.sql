-- Layout tuning: impressions (item >= 50 % visible) and clicks per site, day, list, position and product, with the
-- distinct visitors who saw or clicked. Bots are left out. Feeds dashboard_list_positions.sql (click-through by
-- position). Deduplication window and the one-time copy of stored events: see 010.
CREATE TABLE IF NOT EXISTS list_stats_daily
(
    site          LowCardinality(String),
    day           Date,
    list_name     String,
    list_position UInt16,
    product_id    String,
    impressions   SimpleAggregateFunction(sum, UInt64),
    clicks        SimpleAggregateFunction(sum, UInt64),
    visitors      AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, list_name, list_position, product_id)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 10000;

INSERT INTO list_stats_daily
SELECT
    site,
    day,
    toString(list_name) AS list_name,
    list_position,
    product_id,
    toUInt64(countIf(type = 'list_impression')) AS impressions,
    toUInt64(countIf(type = 'list_click')) AS clicks,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE type IN ('list_impression', 'list_click') AND NOT is_bot AND (SELECT count() FROM list_stats_daily) = 0
GROUP BY site, day, list_name, list_position, product_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS list_stats_daily_mv TO list_stats_daily AS
SELECT
    site,
    day,
    toString(list_name) AS list_name,
    list_position,
    product_id,
    toUInt64(countIf(type = 'list_impression')) AS impressions,
    toUInt64(countIf(type = 'list_click')) AS clicks,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE type IN ('list_impression', 'list_click') AND NOT is_bot
GROUP BY site, day, list_name, list_position, product_id;
