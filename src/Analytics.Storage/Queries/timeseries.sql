-- Daily totals of a site over a day range, one row per day that has data, oldest first. Days seen by fewer than
-- min_visitors distinct visitors are suppressed (left out, not zeroed: a gap, never a false zero).
-- Parameters: site String, from Date, to Date (inclusive), min_visitors UInt64.
SELECT
    day,
    sum(page_views) AS page_views,
    sum(product_views) AS product_views,
    uniqExactMerge(visitors) AS visitors
FROM site_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY day
HAVING visitors >= {min_visitors:UInt64}
ORDER BY day ASC
