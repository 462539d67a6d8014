-- Engagement per path over a day range: reports (one per page view left), average visible seconds and scroll depth.
-- Rows seen by fewer than min_visitors distinct visitors are suppressed.
-- Parameters: site String, from Date, to Date (inclusive), min_visitors UInt64, limit UInt32.
SELECT
    path,
    sum(engagements) AS engagements,
    round(sum(engaged_ms) / greatest(engagements, 1) / 1000, 1) AS avg_visible_s,
    round(sum(scroll_pct) / greatest(engagements, 1), 1) AS avg_scroll_pct,
    uniqExactMerge(visitors) AS visitors
FROM engagement_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY path
HAVING visitors >= {min_visitors:UInt64}
ORDER BY engagements DESC, path ASC
LIMIT {limit:UInt32}
