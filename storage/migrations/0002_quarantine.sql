-- Pulled changes this laptop could not apply (a record an older server let through, a future bug), kept aside with
-- the record's other changes so the rest of a page applies and the cursor moves on; retried at every sync and
-- deleted once the record applies. Inside the encrypted database like every other document.
CREATE TABLE quarantine (
    op_id       TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL,
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    change      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    since       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX quarantine_record ON quarantine (record_id);
