-- Complete versions of a site, newest first. Parameters: site String, limit UInt32.
SELECT version FROM reco_versions WHERE site = {site:String} AND status = 'complete' ORDER BY version DESC LIMIT {limit:UInt32}
