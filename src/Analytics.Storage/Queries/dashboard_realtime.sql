-- The last minutes of a site, straight from the events table: page views, product views and distinct visitors with
-- an event time at or after `since`. No row when fewer than min_visitors visitors were active.
-- Parameters: site String, since DateTime64(3, 'UTC'), min_visitors UInt64.
SELECT
    toUInt64(countIf(type = 'page_view')) AS page_views,
    toUInt64(countIf(type = 'product_view')) AS product_views,
    uniqExactIf(visitor_key, visitor_key != 0) AS visitors
FROM events
WHERE site = {site:String} AND day >= toDate({since:DateTime64(3, 'UTC')}) - 1
  AND ts >= {since:DateTime64(3, 'UTC')} AND NOT is_bot
HAVING visitors >= {min_visitors:UInt64}
