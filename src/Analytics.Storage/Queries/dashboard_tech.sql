-- Visitors by browser, os, device or country ('' = unknown) over a day range. Rows seen by fewer than min_visitors
-- distinct visitors are suppressed.
-- Parameters: site String, from Date, to Date (inclusive), dimension String ('browser', 'os', 'device', 'country'),
-- min_visitors UInt64, limit UInt32.
SELECT
    value,
    sum(page_views) AS page_views,
    uniqExactMerge(visitors) AS visitors
FROM tech_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date} AND dimension = {dimension:String}
GROUP BY value
HAVING visitors >= {min_visitors:UInt64}
ORDER BY visitors DESC, page_views DESC, value ASC
LIMIT {limit:UInt32}
