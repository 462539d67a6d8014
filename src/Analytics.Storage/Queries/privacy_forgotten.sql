-- Devices excluded on days from {since:Date} on: site, day (yyyy-MM-dd), visitor_key.
SELECT DISTINCT site, day, visitor_key
FROM forgotten_visitors
WHERE day >= {since:Date}
