-- Privacy engine: the shared daily visitor keys, their audit trail, and the devices that asked to be forgotten.
--
-- visitor_keys: one row per (site, day), the day key sealed (AES-256-GCM) under the master key (Privacy:MasterKey),
-- so every anonymizer instance, and one restarted, uses the same key. First writer wins: each instance inserts its
-- candidate with the insert_deduplication_token 'vk-<site hash>-<day>' and reads back; the engine drops every later
-- block with that token (non_replicated_deduplication_window), so exactly one candidate is ever stored. The row is
-- deleted (ALTER TABLE ... DELETE) once the day ended 24 h ago; the TTL is only a backstop for when no instance runs.
CREATE TABLE IF NOT EXISTS visitor_keys
(
    site       LowCardinality(String) COMMENT 'Site the key belongs to.',
    day        Date COMMENT 'Site-local day the key hashes visitors for.',
    sealed_key String COMMENT 'The 32-byte day key sealed with AES-256-GCM under the master key (never in clear); deleted 24 h after the day ends.',
    created_at DateTime64(3, 'UTC') COMMENT 'When the key was created.',
    created_by String COMMENT 'Anonymizer instance that created the key (Privacy:InstanceId).'
)
ENGINE = MergeTree
ORDER BY (site, day)
TTL toDateTime(day) + INTERVAL 3 DAY
SETTINGS non_replicated_deduplication_window = 1000
COMMENT 'Shared daily visitor keys, sealed under the master key; each is destroyed 24 h after its day ends.';

-- The audit trail of the key lifecycle: when which site's key for which day was created or destroyed, and by whom.
-- Never key material. Kept as long as the aggregates, so for any stored day one can show its key is gone.
CREATE TABLE IF NOT EXISTS visitor_key_audit
(
    at     DateTime64(3, 'UTC') COMMENT 'When the action happened.',
    action LowCardinality(String) COMMENT '''created'' or ''destroyed''.',
    site   LowCardinality(String) COMMENT 'Site of the key.',
    day    Date COMMENT 'Site-local day of the key.',
    actor  String COMMENT 'Anonymizer instance that acted (Privacy:InstanceId).'
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (site, day, at)
TTL day + INTERVAL 25 MONTH
COMMENT 'Audit trail of visitor key creation and destruction; never key material.';

-- Devices that asked to be forgotten (POST /v1/privacy/forget), by their visitor key of that day. Every anonymizer
-- instance drops their further events of the day. A visitor key means something only while its day key exists, so
-- the rows go with the key (deleted by key maintenance; the TTL is the backstop).
CREATE TABLE IF NOT EXISTS forgotten_visitors
(
    site         LowCardinality(String) COMMENT 'Site the request was made for.',
    day          Date COMMENT 'Site-local day of the visitor key.',
    visitor_key  UInt64 COMMENT 'The device''s visitor key of that day (unlinkable once the day key is destroyed).',
    forgotten_at DateTime64(3, 'UTC') COMMENT 'When the device asked to be forgotten.'
)
ENGINE = MergeTree
ORDER BY (site, day, visitor_key)
TTL toDateTime(day) + INTERVAL 3 DAY
COMMENT 'Devices excluded for the rest of a day after a forget request; removed with the day key.';
