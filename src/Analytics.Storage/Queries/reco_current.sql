-- The version readers use: the newest complete one (0 when none), with its row count. Parameters: site String.
SELECT version, rows, products, toString(created_at) AS created_at
FROM reco_versions
WHERE site = {site:String} AND status = 'complete'
ORDER BY version DESC
LIMIT 1
