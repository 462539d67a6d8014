-- Recomputes the entry and exit pages of one (site, day) from events into entry_exit_pages_daily under {computed_at}.
-- Sessions as in reco_refresh_coviews.sql, over page_view events: the first path of a session is its entry, the last
-- its exit (a one-page session is both). Parameters: site String, day Date, computed_at DateTime64(3), gap_ms UInt64.
INSERT INTO entry_exit_pages_daily (site, day, kind, path, sessions, visitors, computed_at)
SELECT
    {site:String},
    {day:Date},
    e.1 AS kind,
    e.2 AS path,
    toUInt64(count()) AS sessions,
    toUInt64(uniqExact(visitor_key)) AS visitors,
    {computed_at:DateTime64(3)}
FROM
(
    SELECT visitor_key, session
    FROM
    (
        SELECT visitor_key, arraySort(v -> v.1, groupArray((toUnixTimestamp64Milli(ts), path))) AS views
        FROM events
        WHERE site = {site:String} AND day = {day:Date} AND type = 'page_view' AND NOT is_bot AND visitor_key != 0
        GROUP BY visitor_key
    )
    ARRAY JOIN arraySplit((v, gap) -> gap > {gap_ms:UInt64}, views, arrayDifference(arrayMap(v -> v.1, views))) AS session
)
ARRAY JOIN [('entry', session[1].2), ('exit', session[-1].2)] AS e
GROUP BY e.1, e.2
