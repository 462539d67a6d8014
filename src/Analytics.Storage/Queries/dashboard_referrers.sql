-- Referrer hosts of a site over a day range ('' = direct or unknown), by page views. Rows seen by fewer than
-- min_visitors distinct visitors are suppressed.
-- Parameters: site String, from Date, to Date (inclusive), min_visitors UInt64, limit UInt32.
SELECT
    referrer_host,
    sum(page_views) AS page_views,
    uniqExactMerge(visitors) AS visitors
FROM referrer_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY referrer_host
HAVING visitors >= {min_visitors:UInt64}
ORDER BY visitors DESC, page_views DESC, referrer_host ASC
LIMIT {limit:UInt32}
