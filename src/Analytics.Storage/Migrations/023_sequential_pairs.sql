-- Sequential (directional) co-views beside the symmetric ones, computed by the recommendation job in the same pass
-- over a day's sessions (Queries/reco_refresh_coviews.sql): for every view of product x followed, 1 to
-- {steps} (10) views later in the same session, by a view of product y != x, the pair row (least, greatest) gains
-- 1 / distance in seq_ab when x < y (x came first) or in seq_ba when x > y: the sequential-rules weight of
-- Ludewig & Jannach (2018). The weights live on the unordered pair's row, so they are released under the pair's own
-- small-cell suppression (its visitors). Rows written before this migration read 0 (no sequential evidence).
ALTER TABLE coview_pairs_daily ADD COLUMN IF NOT EXISTS seq_ab Float64 DEFAULT 0 COMMENT 'Sum of 1/distance over views of product_a followed within 10 views of the same session by product_b (sequential-rules weight a to b).' AFTER visitors;
ALTER TABLE coview_pairs_daily ADD COLUMN IF NOT EXISTS seq_ba Float64 DEFAULT 0 COMMENT 'Sum of 1/distance over views of product_b followed within 10 views of the same session by product_a (sequential-rules weight b to a).' AFTER seq_ab;
