-- Rows stored under one version (used to check that a published version is whole). Parameters: site String, version UInt64.
SELECT toUInt64(count()) AS rows FROM reco_items WHERE site = {site:String} AND version = {version:UInt64}
