-- Records a run's status ('running', 'complete' or 'failed'); 'complete' publishes the version to readers.
-- Parameters: site String, version UInt64, status String, created_at DateTime64(3), products UInt64, rows UInt64,
-- settings String.
INSERT INTO reco_versions (site, version, status, created_at, products, rows, settings)
SELECT {site:String}, {version:UInt64}, {status:String}, {created_at:DateTime64(3)}, {products:UInt64}, {rows:UInt64}, {settings:String}
