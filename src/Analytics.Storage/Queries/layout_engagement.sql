-- Engagement per page type over a day range: home ('/'), category ('/c/...'), product ('/p/...') or other, from the
-- per-path engagement aggregate (013; visitor states merge across paths). Averages are per engagement report.
-- Rows seen by fewer than {min_visitors} visitors are left out.
-- Parameters: site String, from Date, to Date (inclusive), min_visitors UInt64.
SELECT
    multiIf(path = '/', 'home', startsWith(path, '/c/'), 'category', startsWith(path, '/p/'), 'product', 'other') AS page_type,
    sum(engagements) AS engagements,
    round(sum(engaged_ms) / greatest(engagements, 1) / 1000, 1) AS avg_visible_s,
    round(sum(scroll_pct) / greatest(engagements, 1), 1) AS avg_scroll_pct,
    uniqExactMerge(visitors) AS visitors
FROM engagement_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY page_type
HAVING visitors >= {min_visitors:UInt64}
ORDER BY page_type ASC
