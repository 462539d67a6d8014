-- Most viewed products of a site over a day range. Rows seen by fewer than min_visitors distinct visitors are
-- suppressed. Parameters: site String, from Date, to Date (inclusive), min_visitors UInt64, limit UInt32.
SELECT
    product_id,
    argMax(name, day) AS name,
    argMax(category, day) AS category,
    sum(views) AS views,
    uniqExactMerge(visitors) AS visitors
FROM product_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
GROUP BY product_id
HAVING visitors >= {min_visitors:UInt64}
ORDER BY views DESC, product_id ASC
LIMIT {limit:UInt32}
