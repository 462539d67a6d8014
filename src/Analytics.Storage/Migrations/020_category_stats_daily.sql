-- Product detail views and distinct visitors per site, day and category (the product's category path as sent in
-- product_view). Feeds decayed popularity per category (Queries/reco_trending_categories.sql); per product the
-- decay is read from product_stats_daily (003). Decay depends on "today", so the aggregate keeps plain daily counts
-- and the weight exp(-ln 2 · age / half-life) is applied when reading. Visitors cannot be summed from products (one
-- visitor views many products), hence a state of its own. Bots are left out.
-- Deduplication window and the one-time copy of stored events: see 010.
CREATE TABLE IF NOT EXISTS category_stats_daily
(
    site     LowCardinality(String),
    day      Date,
    category String,
    views    SimpleAggregateFunction(sum, UInt64),
    visitors AggregateFunction(uniqExact, UInt64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, category)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 10000;

INSERT INTO category_stats_daily
SELECT
    site,
    day,
    toString(product_category) AS category,
    toUInt64(count()) AS views,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE type = 'product_view' AND product_id != '' AND NOT is_bot AND (SELECT count() FROM category_stats_daily) = 0
GROUP BY site, day, category;

CREATE MATERIALIZED VIEW IF NOT EXISTS category_stats_daily_mv TO category_stats_daily AS
SELECT
    site,
    day,
    toString(product_category) AS category,
    toUInt64(count()) AS views,
    uniqExactStateIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE type = 'product_view' AND product_id != '' AND NOT is_bot
GROUP BY site, day, category;
