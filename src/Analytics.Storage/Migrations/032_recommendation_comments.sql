-- Self-documentation (see 031) for the recommendation and layout tables of migrations 020-022.

ALTER TABLE category_stats_daily
    COMMENT COLUMN site 'Site (shop).',
    COMMENT COLUMN day 'Site-local day.',
    COMMENT COLUMN category 'Product category path (e.g. skincare/serums).',
    COMMENT COLUMN views 'Product views in the category that day (bots excluded).',
    COMMENT COLUMN visitors 'Distinct daily visitor keys (aggregate state), for small-cell suppression and trending.';
ALTER TABLE category_stats_daily MODIFY COMMENT 'Product views per category and day, for decayed category popularity (trending).';

ALTER TABLE coview_pairs_daily
    COMMENT COLUMN site 'Site (shop).',
    COMMENT COLUMN day 'Site-local day of the sessions.',
    COMMENT COLUMN product_a 'First product of the pair.',
    COMMENT COLUMN product_b 'Second product of the pair; empty for the per-product session count.',
    COMMENT COLUMN sessions 'Sessions (30-minute inactivity splits a visitor-day) that viewed both products.',
    COMMENT COLUMN visitors 'Distinct visitors behind those sessions, for small-cell suppression.',
    COMMENT COLUMN computed_at 'Recomputation this row belongs to; readers use the newest one listed in session_days.';
ALTER TABLE coview_pairs_daily MODIFY COMMENT 'Co-viewed product pairs per day, recomputed by the recommendation job from events.';

ALTER TABLE entry_exit_pages_daily
    COMMENT COLUMN site 'Site (shop).',
    COMMENT COLUMN day 'Site-local day of the sessions.',
    COMMENT COLUMN kind 'entry or exit.',
    COMMENT COLUMN path 'Scrubbed path where sessions began or ended.',
    COMMENT COLUMN sessions 'Sessions entering or leaving at that path.',
    COMMENT COLUMN visitors 'Distinct visitors behind those sessions, for small-cell suppression.',
    COMMENT COLUMN computed_at 'Recomputation this row belongs to.';
ALTER TABLE entry_exit_pages_daily MODIFY COMMENT 'Entry and exit pages per day, for layout tuning.';

ALTER TABLE session_days
    COMMENT COLUMN site 'Site (shop).',
    COMMENT COLUMN day 'Day whose sessions were recomputed.',
    COMMENT COLUMN computed_at 'Completed recomputation; the newest one is the one readers use.',
    COMMENT COLUMN sessions 'Sessions found that day.';
ALTER TABLE session_days MODIFY COMMENT 'Ledger of completed per-day session recomputations (makes a day''s replacement atomic).';

ALTER TABLE reco_items
    COMMENT COLUMN site 'Site (shop).',
    COMMENT COLUMN version 'Job run that wrote the row; readers use the newest complete version.',
    COMMENT COLUMN product_id 'Product the list is for; empty for the fallback (trending) list.',
    COMMENT COLUMN rank 'Position in the list, 1-based.',
    COMMENT COLUMN recommended_id 'Recommended product.',
    COMMENT COLUMN score 'Similarity or trending score.',
    COMMENT COLUMN source 'coview, category or trending.',
    COMMENT COLUMN written_at 'When the row was written (retention backstop).';
ALTER TABLE reco_items MODIFY COMMENT 'Versioned item-to-item recommendations written by the recommendation job.';

ALTER TABLE reco_versions
    COMMENT COLUMN site 'Site (shop).',
    COMMENT COLUMN version 'Job run.',
    COMMENT COLUMN status 'complete once every row of the run is written.',
    COMMENT COLUMN created_at 'When the run finished.',
    COMMENT COLUMN products 'Products with a list of their own.',
    COMMENT COLUMN rows 'Rows written.',
    COMMENT COLUMN settings 'Job settings of the run (JSON), for reproducibility.';
ALTER TABLE reco_versions MODIFY COMMENT 'Ledger of recommendation job runs; a version is visible only once complete.';
