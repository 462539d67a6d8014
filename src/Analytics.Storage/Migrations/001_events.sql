-- Anonymized events, the only event rows the store keeps. Raw identifiers never reach this table: visitor_key is a
-- truncated HMAC under a daily key destroyed after 48 h, URLs and titles are scrubbed upstream.
-- Kept 30 days (TTL); reports read the aggregates fed by the materialized views, which live longer.
-- ORDER BY puts visitor_key after (site, day, type) so "what do you hold about me" and delete-by-key stay cheap.
-- non_replicated_deduplication_window lets a retried insert with the same insert_deduplication_token be dropped.
CREATE TABLE IF NOT EXISTS events
(
    site             LowCardinality(String),
    event_id         UUID,
    type             LowCardinality(String),
    ts               DateTime64(3, 'UTC'),
    day              Date,
    visitor_key      UInt64,
    path             String,
    query            String,
    title            String,
    referrer_host    LowCardinality(String),
    screen_class     LowCardinality(String),
    lang             LowCardinality(String),
    browser          LowCardinality(String),
    browser_version  LowCardinality(String),
    os               LowCardinality(String),
    device           LowCardinality(String),
    country          LowCardinality(String),
    is_bot           Bool,
    product_id       String,
    product_name     String,
    product_category LowCardinality(String),
    product_price    Decimal(18, 4),
    currency         LowCardinality(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, type, visitor_key, ts)
TTL day + INTERVAL 30 DAY
SETTINGS non_replicated_deduplication_window = 10000;
