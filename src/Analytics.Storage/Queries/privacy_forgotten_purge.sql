-- Removes the forgotten-device rows of a site and day whose key was destroyed. Parameters: site String, day Date.
ALTER TABLE forgotten_visitors DELETE WHERE site = {site:String} AND day = {day:Date}
SETTINGS mutations_sync = 2
