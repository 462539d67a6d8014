-- How fresh a site's data is: the newest stored event time (Unix ms, 0 when none) and how many events arrived in
-- the last hour by event time. Site-level counts only, nothing per visitor.
-- Parameters: site String, since DateTime64(3, 'UTC') (an hour ago).
SELECT
    if(count() = 0, 0, toUnixTimestamp64Milli(max(ts))) AS newest_event_ms,
    toUInt64(countIf(ts >= {since:DateTime64(3, 'UTC')})) AS events_last_hour
FROM events
WHERE site = {site:String} AND day >= toDate({since:DateTime64(3, 'UTC')}) - 31
