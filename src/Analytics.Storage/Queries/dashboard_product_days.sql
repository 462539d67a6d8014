-- Daily views of the top `limit` products of a range (or of one product when product_id is not ''), for trend lines.
-- A product is listed only when the whole range passes suppression; single days seen by fewer than min_visitors
-- visitors are left out (a gap in the line, never a false zero).
-- Parameters: site String, from Date, to Date (inclusive), product_id String, min_visitors UInt64, limit UInt32.
SELECT
    product_id,
    day,
    sum(views) AS views,
    uniqExactMerge(visitors) AS visitors
FROM product_stats_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
  AND product_id IN
  (
      SELECT product_id
      FROM product_stats_daily
      WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
        AND ({product_id:String} = '' OR product_id = {product_id:String})
      GROUP BY product_id
      HAVING uniqExactMerge(visitors) >= {min_visitors:UInt64}
      ORDER BY sum(views) DESC, product_id ASC
      LIMIT {limit:UInt32}
  )
GROUP BY product_id, day
HAVING visitors >= {min_visitors:UInt64}
ORDER BY product_id ASC, day ASC
