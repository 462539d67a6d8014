-- Deletes one device's events of one day (ORDER BY site, day, type, visitor_key keeps this cheap), waiting for it.
-- Aggregates fed by the materialized views are not recomputed: see docs/privacy.md, "Forget".
-- Parameters: site String, day Date, visitor_key UInt64.
ALTER TABLE events DELETE WHERE site = {site:String} AND day = {day:Date} AND visitor_key = {visitor_key:UInt64}
SETTINGS mutations_sync = 2
