-- The schema documents itself: every table and column says what it holds and why. `analytics inventory` renders
-- these comments (with each table's TTL) into docs/data-inventory.md, and a test fails when the checked-in file
-- differs from what a freshly migrated store produces. A new column needs its COMMENT in the same migration.

ALTER TABLE schema_migrations
    COMMENT COLUMN version 'Number of an applied migration (Migrations/NNN_name.sql).',
    COMMENT COLUMN name 'Name of the migration file.',
    COMMENT COLUMN checksum 'SHA-256 of the migration text, to notice a file changed after it was applied.',
    COMMENT COLUMN applied_at 'When the migration was applied.';
ALTER TABLE schema_migrations MODIFY COMMENT 'Ledger of applied schema migrations; holds no data about visitors.';

ALTER TABLE events
    COMMENT COLUMN site 'Site (shop) the event was collected for.',
    COMMENT COLUMN event_id 'Random id the beacon gives each event, to drop retries; not linked to a person.',
    COMMENT COLUMN type 'Event type of contract v1 (page_view, product_view, list_impression, list_click, engagement).',
    COMMENT COLUMN ts 'Event time (client clock, clamped to the receive time when implausible), UTC.',
    COMMENT COLUMN day 'Site-local day of the event.',
    COMMENT COLUMN visitor_key 'Truncated HMAC of site, IP and User-Agent under that day''s key; unlinkable once the key is destroyed (48 h); 0 = no key.',
    COMMENT COLUMN path 'URL path, scrubbed of personal data (e-mails, ids, tokens become placeholders).',
    COMMENT COLUMN query 'Allowed query parameters only (utm_*, ref), scrubbed.',
    COMMENT COLUMN title 'Page title, scrubbed.',
    COMMENT COLUMN referrer_host 'Host of the referring page only (no path, no query).',
    COMMENT COLUMN screen_class 'Screen size class (phone, tablet, desktop, ...), not the exact resolution.',
    COMMENT COLUMN lang 'Browser language, primary tag and region only (en-US).',
    COMMENT COLUMN browser 'Browser family derived from the User-Agent (which is not stored).',
    COMMENT COLUMN browser_version 'Major browser version.',
    COMMENT COLUMN os 'Operating system family.',
    COMMENT COLUMN device 'Device class (desktop, mobile, tablet, bot).',
    COMMENT COLUMN country 'Country derived from the IP before the IP is dropped (empty without a GeoIP database).',
    COMMENT COLUMN is_bot 'Bot verdict (User-Agent rules, bot IP ranges); bots are stored but never counted.',
    COMMENT COLUMN product_id 'Product id of a product or list event (the shop''s SKU).',
    COMMENT COLUMN product_name 'Product name, scrubbed.',
    COMMENT COLUMN product_category 'Product category, scrubbed.',
    COMMENT COLUMN product_price 'Product price shown.',
    COMMENT COLUMN currency 'Currency of the price (ISO 4217).',
    COMMENT COLUMN list_name 'Product list of a list event (e.g. search results), scrubbed.',
    COMMENT COLUMN list_position '1-based position in the list; 0 when not a list event.',
    COMMENT COLUMN engaged_ms 'Visible time of the page left, for engagement events.',
    COMMENT COLUMN scroll_pct 'Deepest scroll of the page left (0-100), for engagement events.';
ALTER TABLE events MODIFY COMMENT 'Anonymized events, the only event rows kept; no IP, no User-Agent, no raw URL.';

ALTER TABLE page_stats_daily
    COMMENT COLUMN site 'Site.',
    COMMENT COLUMN day 'Site-local day.',
    COMMENT COLUMN path 'Scrubbed URL path.',
    COMMENT COLUMN views 'Page views (bots excluded).',
    COMMENT COLUMN visitors 'Distinct visitor keys (uniqExact state; the keys are unlinkable once the day key is destroyed).';
ALTER TABLE page_stats_daily MODIFY COMMENT 'Daily page views and visitors per path.';

ALTER TABLE product_stats_daily
    COMMENT COLUMN site 'Site.',
    COMMENT COLUMN day 'Site-local day.',
    COMMENT COLUMN product_id 'Product id.',
    COMMENT COLUMN name 'Last seen product name.',
    COMMENT COLUMN category 'Last seen product category.',
    COMMENT COLUMN views 'Product detail views (bots excluded).',
    COMMENT COLUMN visitors 'Distinct visitor keys (uniqExact state).';
ALTER TABLE product_stats_daily MODIFY COMMENT 'Daily product views and visitors per product.';

ALTER TABLE site_stats_daily
    COMMENT COLUMN site 'Site.',
    COMMENT COLUMN day 'Site-local day.',
    COMMENT COLUMN page_views 'Page views (bots excluded).',
    COMMENT COLUMN product_views 'Product detail views (bots excluded).',
    COMMENT COLUMN visitors 'Distinct visitor keys (uniqExact state).';
ALTER TABLE site_stats_daily MODIFY COMMENT 'Daily totals per site (timeseries).';

ALTER TABLE referrer_stats_daily
    COMMENT COLUMN site 'Site.',
    COMMENT COLUMN day 'Site-local day.',
    COMMENT COLUMN referrer_host 'Referring host ('''' = direct or unknown).',
    COMMENT COLUMN page_views 'Page views (bots excluded).',
    COMMENT COLUMN visitors 'Distinct visitor keys (uniqExact state).';
ALTER TABLE referrer_stats_daily MODIFY COMMENT 'Daily page views and visitors per referring host.';

ALTER TABLE tech_stats_daily
    COMMENT COLUMN site 'Site.',
    COMMENT COLUMN day 'Site-local day.',
    COMMENT COLUMN dimension 'browser, os, device or country.',
    COMMENT COLUMN value 'Reduced class of that dimension ('''' = unknown).',
    COMMENT COLUMN page_views 'Page views (bots excluded).',
    COMMENT COLUMN visitors 'Distinct visitor keys (uniqExact state).';
ALTER TABLE tech_stats_daily MODIFY COMMENT 'Daily visitors per browser, OS, device class and country.';

ALTER TABLE list_stats_daily
    COMMENT COLUMN site 'Site.',
    COMMENT COLUMN day 'Site-local day.',
    COMMENT COLUMN list_name 'Product list name.',
    COMMENT COLUMN list_position 'Position in the list.',
    COMMENT COLUMN product_id 'Product shown at that position.',
    COMMENT COLUMN impressions 'Times the item was at least half visible.',
    COMMENT COLUMN clicks 'Clicks on the item.',
    COMMENT COLUMN visitors 'Distinct visitor keys (uniqExact state).';
ALTER TABLE list_stats_daily MODIFY COMMENT 'Daily impressions and clicks per list position (layout tuning).';

ALTER TABLE engagement_stats_daily
    COMMENT COLUMN site 'Site.',
    COMMENT COLUMN day 'Site-local day.',
    COMMENT COLUMN path 'Scrubbed URL path.',
    COMMENT COLUMN engagements 'Engagement reports (sent when a page is left).',
    COMMENT COLUMN engaged_ms 'Summed visible time.',
    COMMENT COLUMN scroll_pct 'Summed deepest scroll.',
    COMMENT COLUMN visitors 'Distinct visitor keys (uniqExact state).';
ALTER TABLE engagement_stats_daily MODIFY COMMENT 'Daily engagement (visible time, scroll depth) per path.';
