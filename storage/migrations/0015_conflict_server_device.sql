-- s29-restored: the device that wrote a conflict's server side, when the pull named it (a restored profile's first
-- pull asks: docs/sync.md "A profile restored from a backup"). The conflict dialog calls this laptop's own text
-- synced before the restore "Min tidigare", not "Deras"; a conflict from before, or of a pull that did not ask, has
-- none and keeps "Deras".
ALTER TABLE conflicts ADD COLUMN server_device_id TEXT;
