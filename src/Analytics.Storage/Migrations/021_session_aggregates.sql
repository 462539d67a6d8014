-- Aggregates that need whole sessions: co-viewed product pairs, and entry and exit pages.
-- A session is one visitor-day (visitor keys are daily) cut wherever 30 minutes pass without an event. A materialized
-- view sees only the block being inserted, and one visitor's events arrive in many blocks, so these tables are not fed
-- by views: the recommendation job recomputes them per (site, day) from events (kept 30 days) while a day is still
-- open, then stops touching it (see docs/recommendations.md, "Session aggregates").
-- Every recomputation writes a complete day under a new computed_at and then a row in session_days; readers take,
-- per day, only the rows of the newest computed_at listed in session_days, so a day is replaced as a whole and a
-- half-written recomputation is never read. Superseded rows are deleted by the job.
-- Like 002-013 each table has a 25-month TTL and its own deduplication window: a retried block is dropped.

-- Co-views: per (site, day), how many sessions viewed both product_a and product_b (product_a < product_b), and
-- how many distinct visitors (per day) did. Rows with product_b = '' hold the per-product count of sessions (the
-- n_i of the similarity's normaliser), computed over the same sessions.
CREATE TABLE IF NOT EXISTS coview_pairs_daily
(
    site        LowCardinality(String),
    day         Date,
    product_a   String,
    product_b   String,
    sessions    UInt64,
    visitors    UInt64,
    computed_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, computed_at, product_a, product_b)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 10000;

-- Entry and exit pages: per (site, day), how many sessions started (kind 'entry') or ended ('exit') on a path, over
-- page_view events, and by how many distinct visitors.
CREATE TABLE IF NOT EXISTS entry_exit_pages_daily
(
    site        LowCardinality(String),
    day         Date,
    kind        LowCardinality(String),
    path        String,
    sessions    UInt64,
    visitors    UInt64,
    computed_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, computed_at, kind, path)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 10000;

-- One row per finished recomputation of a day: the computed_at readers use.
CREATE TABLE IF NOT EXISTS session_days
(
    site        LowCardinality(String),
    day         Date,
    computed_at DateTime64(3, 'UTC'),
    sessions    UInt64
)
ENGINE = MergeTree
ORDER BY (site, day, computed_at)
TTL day + INTERVAL 25 MONTH
SETTINGS non_replicated_deduplication_window = 10000;
