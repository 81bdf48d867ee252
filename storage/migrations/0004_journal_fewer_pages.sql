-- Issue 14, keystroke to durable: every autosave writes one journal row, and every page it touches is written to
-- the WAL and fsynced. Two of those pages bought nothing:
-- * AUTOINCREMENT updated sqlite_sequence on every insert. A plain INTEGER PRIMARY KEY takes max(seq) + 1, which is
--   just as ordered for every row that exists: seq is only ever used to order rows (oldest pending first, the
--   newest clock stamp), never stored elsewhere or sent. Rows are deleted only when a withdrawn case leaves with its
--   history, after which a number it used may be taken again; nothing refers to it.
-- * The (state, record_id) index held every row, so superseding a pending entry moved its key from the 'pending'
--   part to the 'superseded' part: two leaf pages. Only pending and parked ('conflict') entries are ever looked up
--   by state, so the index keeps only those; the superseded row leaves it, and the new one lands beside it.
--   Written as OR, not IN: SQLite uses a partial index for `state = 'pending'` only when it implies the index's
--   WHERE, which it sees for one arm of an OR; queries for both states say `(state = 'pending' OR state = 'conflict')`.
-- Every row keeps its seq and values. conflicts.op_id refers to journal(op_id): the check is deferred to COMMIT,
-- where the rows are back (the old table is dropped before the new one is filled, which settles the count).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE journal_copy AS SELECT * FROM journal;
DROP TABLE journal;
CREATE TABLE journal (
    seq            INTEGER PRIMARY KEY,
    op_id          TEXT NOT NULL UNIQUE,
    record_type    TEXT NOT NULL CHECK (record_type IN ('case', 'person')),
    record_id      TEXT NOT NULL,
    case_id        TEXT,
    path           TEXT NOT NULL,
    op             TEXT NOT NULL CHECK (op IN ('set', 'remove')),
    value          TEXT NOT NULL,
    base_value     TEXT,
    base_version   INTEGER NOT NULL CHECK (base_version >= 0),
    hlc            TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'acknowledged', 'conflict', 'rejected', 'superseded')),
    server_version INTEGER,
    reason         TEXT NOT NULL DEFAULT ''
);
INSERT INTO journal (seq, op_id, record_type, record_id, case_id, path, op, value, base_value, base_version, hlc,
                     device_id, user_id, state, server_version, reason)
    SELECT seq, op_id, record_type, record_id, case_id, path, op, value, base_value, base_version, hlc,
           device_id, user_id, state, server_version, reason
    FROM journal_copy ORDER BY seq;
DROP TABLE journal_copy;
CREATE INDEX journal_open ON journal (state, record_id) WHERE state = 'pending' OR state = 'conflict';
