-- The newest version number of a site in any status (a new run takes a larger one). Parameters: site String.
SELECT max(version) AS version FROM reco_versions WHERE site = {site:String}
