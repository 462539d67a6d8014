-- Top pages of a site over a day range. Rows seen by fewer than min_visitors distinct visitors are suppressed.
-- Parameters: site String, from Date, to Date (inclusive), min_visitors UInt64, limit UInt32.
SELECT
    path,
    sum(views) AS views,
    uniqExactMerge(visitors) AS visitors
FROM page_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY path
HAVING visitors >= {min_visitors:UInt64}
ORDER BY views DESC, path ASC
LIMIT {limit:UInt32}
