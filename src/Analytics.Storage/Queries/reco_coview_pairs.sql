-- Co-view counts over a day range, newest recomputation of each day only. Pair rows (product_b != '') are kept when
-- backed by at least {min_support} sessions and {min_visitors} visitors (small-cell suppression: visitors are summed
-- over days because visitor keys are daily). Rows with product_b = '' are the per-product session counts n_i used as
-- the similarity's normaliser; they are kept when the product itself reaches {min_visitors}. seq_ab / seq_ba are the
-- pair's sequential weights (023), released under the same suppression as the pair.
-- Parameters: site String, from Date, to Date, min_support UInt64, min_visitors UInt64.
SELECT product_a, product_b, sum(sessions) AS co, sum(visitors) AS visitors, sum(seq_ab) AS seq_ab, sum(seq_ba) AS seq_ba
FROM coview_pairs_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
  AND (day, computed_at) IN
  (
      SELECT day, max(computed_at) FROM session_days
      WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
      GROUP BY day
  )
GROUP BY product_a, product_b
HAVING visitors >= {min_visitors:UInt64} AND (product_b = '' OR co >= {min_support:UInt64})
