-- Records that a device asked to be forgotten for a day. Parameters: site String, day Date, visitor_key UInt64,
-- forgotten_at DateTime64(3).
INSERT INTO forgotten_visitors (site, day, visitor_key, forgotten_at)
SELECT {site:String}, {day:Date}, {visitor_key:UInt64}, {forgotten_at:DateTime64(3)}
