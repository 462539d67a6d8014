-- Deletes the rows of a (site, day) superseded by recomputation {computed_at} (readers no longer look at them).
-- Parameters: site String, day Date, computed_at DateTime64(3).
ALTER TABLE coview_pairs_daily DELETE WHERE site = {site:String} AND day = {day:Date} AND computed_at < {computed_at:DateTime64(3)}
