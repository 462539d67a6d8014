-- Offers a new sealed key for a site and day. The deduplication token (@token@, built and validated by the caller:
-- [A-Za-z0-9._:-] only) is the same for every instance offering a key for that site and day, so the engine keeps the
-- first block and drops the others; callers read the winner back with privacy_key_get.
-- Parameters: site String, day Date, sealed_key String, created_at DateTime64(3), created_by String.
INSERT INTO visitor_keys (site, day, sealed_key, created_at, created_by)
SETTINGS insert_deduplicate = 1, insert_deduplication_token = '@token@'
SELECT {site:String}, {day:Date}, {sealed_key:String}, {created_at:DateTime64(3)}, {created_by:String}
