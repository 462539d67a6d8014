-- "Viewed together": the other products viewed on the same day by the visitors who viewed product_id that day.
-- Self-contained over the events table (so kept only as long as events, 30 days); visitor keys are daily, so
-- (day, visitor_key) is one visitor's day. A row needs at least min_visitors such visitors; bots and events without a
-- visitor key are left out.
-- Parameters: site String, from Date, to Date (inclusive), product_id String, min_visitors UInt64, limit UInt32.
SELECT
    product_id,
    argMax(product_name, ts) AS name,
    argMax(toString(product_category), ts) AS category,
    uniqExact(day, visitor_key) AS visitors,
    toUInt64(count()) AS views
FROM events
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
  AND type = 'product_view' AND NOT is_bot AND visitor_key != 0
  AND product_id != '' AND product_id != {product_id:String}
  AND (day, visitor_key) IN
  (
      SELECT day, visitor_key
      FROM events
      WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
        AND type = 'product_view' AND NOT is_bot AND visitor_key != 0 AND product_id = {product_id:String}
  )
GROUP BY product_id
HAVING visitors >= {min_visitors:UInt64}
ORDER BY visitors DESC, views DESC, product_id ASC
LIMIT {limit:UInt32}
