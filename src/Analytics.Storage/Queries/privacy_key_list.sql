-- Every stored key, without material: site, day, created_at, created_by. For the privacy check and key maintenance.
SELECT site, day, min(created_at) AS created_at, any(created_by) AS created_by
FROM visitor_keys
GROUP BY site, day
ORDER BY site, day
