-- Overview totals of a site over a day range: page views, product views and distinct visitors (visitor keys are
-- daily, so a visitor seen on two days counts twice). No row when fewer than min_visitors visitors back the total.
-- Parameters: site String, from Date, to Date (inclusive), min_visitors UInt64.
SELECT
    sum(page_views) AS page_views,
    sum(product_views) AS product_views,
    uniqExactMerge(visitors) AS visitors
FROM site_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
HAVING visitors >= {min_visitors:UInt64}
