-- Destroys the key of a site and day: the row is rewritten away (a mutation, not a lightweight mask), waiting for it.
-- Parameters: site String, day Date.
ALTER TABLE visitor_keys DELETE WHERE site = {site:String} AND day = {day:Date}
SETTINGS mutations_sync = 2
