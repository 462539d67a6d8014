-- What is stored about one device on one day: event count by type. Parameters: site String, day Date,
-- visitor_key UInt64. Columns: events.
SELECT count() AS events
FROM events
WHERE site = {site:String} AND day = {day:Date} AND visitor_key = {visitor_key:UInt64}
