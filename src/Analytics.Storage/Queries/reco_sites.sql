-- Sites with events since {since} (the recommendation job runs per site). Parameters: since Date.
SELECT DISTINCT toString(site) AS site FROM events WHERE day >= {since:Date} ORDER BY site
