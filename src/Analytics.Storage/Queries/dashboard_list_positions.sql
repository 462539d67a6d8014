-- Click-through by list and position over a day range, for layout tuning: impressions (item >= 50 % visible), clicks
-- and clicks / impressions. Rows seen by fewer than min_visitors distinct visitors are suppressed.
-- Parameters: site String, from Date, to Date (inclusive), min_visitors UInt64, limit UInt32.
SELECT
    list_name,
    list_position,
    sum(impressions) AS impressions,
    sum(clicks) AS clicks,
    if(impressions = 0, 0, round(clicks / impressions, 4)) AS ctr,
    uniqExactMerge(visitors) AS visitors
FROM list_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY list_name, list_position
HAVING visitors >= {min_visitors:UInt64}
ORDER BY list_name ASC, list_position ASC
LIMIT {limit:UInt32}
