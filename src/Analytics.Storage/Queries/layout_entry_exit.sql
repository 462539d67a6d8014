-- Entry and exit pages over a day range (newest recomputation of each day, see 021): sessions that started or ended
-- on a path. Visitors are summed over days (keys are daily). Rows under {min_visitors} visitors are left out.
-- Parameters: site String, from Date, to Date (inclusive), min_visitors UInt64, limit UInt32.
SELECT toString(kind) AS kind, path, sum(sessions) AS sessions, sum(visitors) AS visitors
FROM entry_exit_pages_daily
WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
  AND (day, computed_at) IN
  (
      SELECT day, max(computed_at) FROM session_days
      WHERE site = {site:String} AND day BETWEEN {from:Date} AND {to:Date}
      GROUP BY day
  )
GROUP BY kind, path
HAVING visitors >= {min_visitors:UInt64}
ORDER BY kind ASC, sessions DESC, path ASC
LIMIT {limit:UInt32} BY kind
