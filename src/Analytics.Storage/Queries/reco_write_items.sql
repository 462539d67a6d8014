-- Writes a chunk of one run's rows. {rows} is a JSON array of [product_id, rank, recommended_id, score, source]
-- bound by the engine as a parameter (never spliced into the SQL text).
-- Parameters: site String, version UInt64, rows String.
INSERT INTO reco_items (site, version, product_id, rank, recommended_id, score, source)
SELECT {site:String}, {version:UInt64}, r.1, r.2, r.3, r.4, r.5
FROM (SELECT arrayJoin(JSONExtract({rows:String}, 'Array(Tuple(String, UInt16, String, Float64, String))')) AS r)
