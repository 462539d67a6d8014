-- Product detail views and distinct visitors per site, day and product, with the last seen name and category.
-- Bots are left out; see 002 for why the target table has its own deduplication window.
CREATE TABLE IF NOT EXISTS product_stats_daily
(
    site       LowCardinality(String),
    day        Date,
    product_id String,
    name       SimpleAggregateFunction(anyLast, String),
    category   SimpleAggregateFunction(anyLast, String),
    views      SimpleAggregateFunction(sum, UInt64),
    visitors   AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, product_id)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS product_stats_daily_mv TO product_stats_daily AS
SELECT
    site,
    day,
    product_id,
    anyLast(product_name) AS name,
    anyLast(toString(product_category)) AS category,
    toUInt64(count()) AS views,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE type = 'product_view' AND product_id != '' AND NOT is_bot
GROUP BY site, day, product_id;
