-- Decayed popularity (trending) per product: product views weighted by exp(-ln 2 · age_days / {half_life_days}),
-- age counted from {to}; with the product's newest category. Products seen by fewer than {min_visitors} visitors
-- (summed over days) are left out. Parameters: site String, from Date, to Date, half_life_days Float64,
-- min_visitors UInt64, limit UInt32.
SELECT
    product_id,
    argMax(category, day) AS category,
    sum(views * exp(-ln(2) * dateDiff('day', day, {to:Date}) / {half_life_days:Float64})) AS score,
    sum(views) AS total_views,
    uniqExactMerge(visitors) AS visitors
FROM product_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY product_id
HAVING visitors >= {min_visitors:UInt64}
ORDER BY score DESC, product_id ASC
LIMIT {limit:UInt32}
