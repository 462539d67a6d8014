-- Pages viewed in the last minutes (event time at or after `since`), from the events table. Rows seen by fewer than
-- min_visitors distinct visitors are suppressed.
-- Parameters: site String, since DateTime64(3, 'UTC'), min_visitors UInt64, limit UInt32.
SELECT
    path,
    toUInt64(count()) AS views,
    uniqExactIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE site = {site:String} AND day >= toDate({since:DateTime64(3, 'UTC')}) - 1
  AND ts >= {since:DateTime64(3, 'UTC')} AND type = 'page_view' AND NOT is_bot
GROUP BY path
HAVING visitors >= {min_visitors:UInt64}
ORDER BY views DESC, path ASC
LIMIT {limit:UInt32}
