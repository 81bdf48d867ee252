-- Issue 14, after the KDF: the case lists as the last full listing built them, kept as ONE value (storage/kept_list.py)
-- so that an unlock with nothing written since reads that instead of listing every case. Stamped with what the value
-- depends on: the save count the database held when it was written (every committed write transaction raises it,
-- storage/save_counter.py), the schema version, the day, and the program's own context (format, Python, language,
-- its code). One row at most.
CREATE TABLE kept_list (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    save_count INTEGER NOT NULL,
    schema     INTEGER NOT NULL,
    day        TEXT NOT NULL,
    context    TEXT NOT NULL,
    value      BLOB NOT NULL
);
