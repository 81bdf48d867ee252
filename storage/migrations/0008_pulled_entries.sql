-- Issue 14, pull of 1,000 changed cases: a pulled change of a valid record that touches only top-level entries
-- outside its summary (another device's edits, the page's usual case) rewrote the whole JSON document with json_set
-- (SQLite re-renders it; one 4 KB page a document into the WAL). Such an entry is now kept as a small row of its
-- own, the entry's name and its JSON text, and every reader of the document folds these rows in
-- (storage.repositories.documents.folded_text): the document is the stored text with each entry put in its place.
-- Any write of the document writes the folded document (every writer read it folded) and drops the rows
-- (documents.drop_pulled_entries): the next save of the record, a pulled change that rewrites it whole, the day's
-- upkeep (SyncState.fold_pulled_entries). Not a trigger: it cost every autosave ~27,000 instructions (~2 %), also
-- when there was nothing to drop; the autosave knows from its base whether there is. A record deleted (withdrawal,
-- a person clash) takes its rows with it.
CREATE TABLE case_pulled_entries (
    id    TEXT NOT NULL REFERENCES case_documents (id) ON DELETE CASCADE,
    name  TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (id, name)
) WITHOUT ROWID;
CREATE TABLE person_pulled_entries (
    id    TEXT NOT NULL REFERENCES person_documents (id) ON DELETE CASCADE,
    name  TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (id, name)
) WITHOUT ROWID;
