-- As reco_prune_day.sql, for entry_exit_pages_daily. Parameters: site String, day Date, computed_at DateTime64(3).
ALTER TABLE entry_exit_pages_daily DELETE WHERE site = {site:String} AND day = {day:Date} AND computed_at < {computed_at:DateTime64(3)}
