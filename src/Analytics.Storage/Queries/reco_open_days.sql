-- Days of a site whose session aggregates (021) must be (re)computed: days with events since {since} that have no
-- recomputation yet, or whose newest one ran before the day was closed (events may arrive up to 24 h late and the
-- site's day may be offset from UTC, so a day is closed two days after it started).
-- Parameters: site String, since Date.
SELECT toString(e.day) AS day, toUnixTimestamp64Milli(m.last) AS last_ms
FROM
(
    SELECT DISTINCT day FROM events WHERE site = {site:String} AND day >= {since:Date}
) AS e
LEFT JOIN
(
    SELECT day, max(computed_at) AS last FROM session_days WHERE site = {site:String} AND day >= {since:Date} GROUP BY day
) AS m ON e.day = m.day
WHERE m.last < toDateTime64(e.day + 2, 3, 'UTC')
ORDER BY e.day
