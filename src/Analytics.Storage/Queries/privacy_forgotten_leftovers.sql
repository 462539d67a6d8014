-- Events of forgotten devices stored after their forget request (written by an instance that had not yet refreshed
-- its list). Parameters: since Date. Columns: site, day, visitor_key, events.
SELECT site, day, visitor_key, count() AS events
FROM events
WHERE day >= {since:Date} AND (site, day, visitor_key) IN (SELECT site, day, visitor_key FROM forgotten_visitors WHERE day >= {since:Date})
GROUP BY site, day, visitor_key
