-- The shared key of one site and day (at most one row exists: first writer wins, see Migrations/030).
-- Parameters: site String, day Date. Columns: sealed_key, created_at, created_by.
SELECT sealed_key, created_at, created_by
FROM visitor_keys
WHERE site = {site:String} AND day = {day:Date}
ORDER BY created_at, sealed_key
LIMIT 1
