-- Results of the recommendation job, versioned. A run writes every row of reco_items under a new version, then a
-- 'complete' row in reco_versions; readers use max(version) among complete versions, so they see the previous result
-- or the new one, never a half-written run. product_id = '' holds the fallback list (trending) for products without a
-- list of their own. The job deletes versions older than the previous complete one; the 90-day TTL is a backstop for a
-- job that stopped running (results are derived data, rebuilt by the next run).
CREATE TABLE IF NOT EXISTS reco_items
(
    site           LowCardinality(String),
    version        UInt64,
    product_id     String,
    rank           UInt16,
    recommended_id String,
    score          Float64,
    source         LowCardinality(String),
    written_at     DateTime('UTC') DEFAULT now()
)
ENGINE = MergeTree
ORDER BY (site, version, product_id, rank)
TTL written_at + INTERVAL 90 DAY
SETTINGS non_replicated_deduplication_window = 10000;

CREATE TABLE IF NOT EXISTS reco_versions
(
    site       LowCardinality(String),
    version    UInt64,
    status     LowCardinality(String),
    created_at DateTime64(3, 'UTC'),
    products   UInt64,
    rows       UInt64,
    settings   String
)
ENGINE = MergeTree
ORDER BY (site, version, status)
TTL toDateTime(created_at) + INTERVAL 90 DAY;
