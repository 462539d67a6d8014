-- Every list of the newest complete version, for bulk export (product_id = '' is the fallback list).
-- Parameters: site String.
-- The column is selected as is: an alias named version (e.g. current AS version) would shadow the column in
-- WHERE, turning version = current into current = current and returning the rows of every stored version.
WITH (SELECT max(version) FROM reco_versions WHERE site = {site:String} AND status = 'complete') AS current
SELECT version, product_id, rank, recommended_id, score, toString(source) AS source
FROM reco_items
WHERE site = {site:String} AND version = current
ORDER BY product_id ASC, rank ASC
