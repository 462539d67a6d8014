-- Publishes a finished recomputation of one (site, day): readers switch to rows of {computed_at}.
-- Parameters: site String, day Date, computed_at DateTime64(3).
INSERT INTO session_days (site, day, computed_at, sessions)
SELECT {site:String}, {day:Date}, {computed_at:DateTime64(3)},
    (SELECT sum(sessions) FROM entry_exit_pages_daily
     WHERE site = {site:String} AND day = {day:Date} AND computed_at = {computed_at:DateTime64(3)} AND kind = 'entry')
