-- Layout tuning and engagement (contract v1 event types list_impression, list_click, engagement):
-- which list and position a product was shown at, and how long / how deep a page was read.
ALTER TABLE events
    ADD COLUMN IF NOT EXISTS list_name LowCardinality(String) DEFAULT '',
    ADD COLUMN IF NOT EXISTS list_position UInt16 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS engaged_ms UInt32 DEFAULT 0,
    ADD COLUMN IF NOT EXISTS scroll_pct UInt8 DEFAULT 0;
