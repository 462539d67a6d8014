-- Deletes every version of a site older than {keep_from} (the previous complete version is kept, so a reader that
-- resolved it just before a flip still finds its rows). Parameters: site String, keep_from UInt64.
ALTER TABLE reco_items DELETE WHERE site = {site:String} AND version < {keep_from:UInt64}
