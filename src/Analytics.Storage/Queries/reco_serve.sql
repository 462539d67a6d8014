-- Recommendations for one product from the newest complete version: the product's own list, and the fallback list
-- (product_id = '') for products without one. A product never recommends itself.
-- Parameters: site String, product_id String, k UInt32.
-- The column is selected as is: an alias named version (e.g. current AS version) would shadow the column in
-- WHERE, turning version = current into current = current and returning the rows of every stored version.
WITH (SELECT max(version) FROM reco_versions WHERE site = {site:String} AND status = 'complete') AS current
SELECT version, product_id, rank, recommended_id, score, toString(source) AS source
FROM reco_items
WHERE site = {site:String} AND version = current AND product_id IN ({product_id:String}, '')
  AND recommended_id != {product_id:String}
ORDER BY product_id DESC, rank ASC
LIMIT {k:UInt32} BY product_id
