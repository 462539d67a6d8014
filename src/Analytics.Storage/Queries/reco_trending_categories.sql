-- Decayed popularity (trending) per category, as reco_trending.sql for products. Parameters: site String, from Date,
-- to Date, half_life_days Float64, min_visitors UInt64, limit UInt32.
SELECT
    category,
    sum(views * exp(-ln(2) * dateDiff('day', day, {to:Date}) / {half_life_days:Float64})) AS score,
    sum(views) AS total_views,
    uniqExactMerge(visitors) AS visitors
FROM category_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY category
HAVING visitors >= {min_visitors:UInt64}
ORDER BY score DESC, category ASC
LIMIT {limit:UInt32}
