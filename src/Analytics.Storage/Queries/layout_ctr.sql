-- Click-through by list and position over a day range: impressions (item >= 50 % visible), clicks and distinct
-- visitors; the API adds Wilson confidence intervals. Rows seen by fewer than {min_visitors} visitors are left out.
-- Parameters: site String, from Date, to Date (inclusive), min_visitors UInt64, limit UInt32.
SELECT
    list_name,
    list_position,
    sum(impressions) AS impressions,
    sum(clicks) AS clicks,
    uniqExactMerge(visitors) AS visitors
FROM list_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY list_name, list_position
HAVING visitors >= {min_visitors:UInt64}
ORDER BY list_name ASC, list_position ASC
LIMIT {limit:UInt32}
