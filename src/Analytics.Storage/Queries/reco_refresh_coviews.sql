-- Recomputes the co-views of one (site, day) from events into coview_pairs_daily under {computed_at}.
-- Sessions: a visitor-day's product views in time order, cut where more than {gap_ms} ms pass between two views.
-- Each session counts once per pair of distinct products it viewed (at most {max_items} distinct products per session,
-- so a crawler-like session cannot add thousands of pairs), and once per product (product_b = '').
-- Sequential weights (migration 023): every view x followed 1..{steps} views later by a view y != x adds 1 / distance
-- to seq_ab of the pair row (x < y) or to seq_ba (x > y); a session of n views adds at most n · {steps} of these.
-- Only pairs that are co-view pairs of some session are written (sessions > 0), so every row has its visitors.
-- Parameters: site String, day Date, computed_at DateTime64(3), gap_ms UInt64, max_items UInt32, steps UInt32.
INSERT INTO coview_pairs_daily (site, day, product_a, product_b, sessions, visitors, seq_ab, seq_ba, computed_at)
SELECT
    {site:String},
    {day:Date},
    pair.1 AS product_a,
    pair.2 AS product_b,
    toUInt64(sum(pair.3)) AS sessions,
    toUInt64(uniqExactIf(visitor_key, pair.3 = 1)) AS visitors,
    sum(pair.4) AS seq_ab,
    sum(pair.5) AS seq_ba,
    {computed_at:DateTime64(3)}
FROM
(
    SELECT
        visitor_key,
        arrayMap(v -> v.2, session) AS sequence,
        arraySlice(arrayDistinct(sequence), 1, {max_items:UInt32}) AS products
    FROM
    (
        SELECT visitor_key, arraySort(v -> v.1, groupArray((toUnixTimestamp64Milli(ts), product_id))) AS views
        FROM events
        WHERE site = {site:String} AND day = {day:Date} AND type = 'product_view' AND NOT is_bot
          AND visitor_key != 0 AND product_id != ''
        GROUP BY visitor_key
    )
    ARRAY JOIN arraySplit((v, gap) -> gap > {gap_ms:UInt64}, views, arrayDifference(arrayMap(v -> v.1, views))) AS session
)
ARRAY JOIN arrayConcat(
    arrayMap(p -> (p, '', toUInt8(1), 0., 0.), products),
    arrayFlatten(arrayMap(a -> arrayMap(b -> (a, b, toUInt8(1), 0., 0.), arrayFilter(b -> b > a, products)), products)),
    arrayMap(t -> (least(t.1, t.2), greatest(t.1, t.2), toUInt8(0), if(t.1 < t.2, t.3, 0.), if(t.1 > t.2, t.3, 0.)),
        arrayFilter(t -> t.1 != t.2,
            arrayFlatten(arrayMap(i -> arrayMap(d -> (sequence[i], sequence[i + d], 1. / d),
                range(1, toUInt32(least({steps:UInt32}, length(sequence) - i) + 1))), range(1, length(sequence) + 1)))))) AS pair
GROUP BY pair.1, pair.2
HAVING sessions > 0
