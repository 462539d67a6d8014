-- One product over a day range: last seen name and category, views and distinct visitors. No row when fewer than
-- min_visitors visitors viewed it.
-- Parameters: site String, from Date, to Date (inclusive), product_id String, min_visitors UInt64.
SELECT
    product_id,
    argMax(name, day) AS name,
    argMax(category, day) AS category,
    sum(views) AS views,
    uniqExactMerge(visitors) AS visitors
FROM product_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date} AND product_id = {product_id:String}
GROUP BY product_id
HAVING visitors >= {min_visitors:UInt64}
