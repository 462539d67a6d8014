-- One audit row of the key lifecycle (never key material).
-- Parameters: at DateTime64(3), action String, site String, day Date, actor String.
INSERT INTO visitor_key_audit (at, action, site, day, actor)
SELECT {at:DateTime64(3)}, {action:String}, {site:String}, {day:Date}, {actor:String}
