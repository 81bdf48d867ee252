-- Schema 1: documents with summary columns, the change journal, sync state and the audit log.

-- Small settings of the profile: user_id, device_id, sync_cursor, audit_head_seq/hash.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- A person and a case are stored as their pydantic JSON document (the source of truth, in *_documents) plus the
-- columns the case list filters and sorts on. The documents live in their own tables so that listing 5,000 cases
-- reads a compact table, and an autosave that changes no summary column touches no index. `version` is the last
-- server version the local document reflects (0: never synced). `valid` is 0 while a record pulled field by field
-- is not yet complete.
CREATE TABLE people (
    id              TEXT PRIMARY KEY,
    full_name       TEXT NOT NULL DEFAULT '',
    name_key        TEXT NOT NULL DEFAULT '',
    personal_number TEXT NOT NULL DEFAULT '',
    fictitious      INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 0,
    valid           INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT NOT NULL
);

CREATE TABLE person_documents (
    id       TEXT PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    document TEXT NOT NULL
);

-- No foreign key to people: sync may deliver a case before its person, and the list shows such a case anyway.
CREATE TABLE cases (
    id                  TEXT PRIMARY KEY,
    person_id           TEXT NOT NULL DEFAULT '',
    case_number         TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'actualised',
    next_deadline       TEXT,
    next_deadline_text  TEXT NOT NULL DEFAULT '',
    urgency             INTEGER NOT NULL DEFAULT 0,
    deadline_checked_on TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 0,
    valid               INTEGER NOT NULL DEFAULT 1,
    updated_at          TEXT NOT NULL
);
CREATE INDEX cases_status ON cases (status);

CREATE TABLE case_documents (
    id       TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    document TEXT NOT NULL
);

-- One row per field edit, written in the same transaction as the edit. `value`/`base_value` are canonical JSON;
-- base_value is NULL when the path did not exist before. Rows are kept after acknowledgement (small, and the
-- history explains a conflict); `superseded` marks a pending edit replaced by a later edit of the same field.
CREATE TABLE journal (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
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
-- One index serves the push queue (state = 'pending'), a record's open entries and the per-case counts.
CREATE INDEX journal_state_record ON journal (state, record_id);

-- A field where the local and the server value disagree; the local entry is parked until the user chooses.
CREATE TABLE conflicts (
    conflict_id    TEXT PRIMARY KEY,
    op_id          TEXT REFERENCES journal (op_id),
    record_type    TEXT NOT NULL,
    record_id      TEXT NOT NULL,
    case_id        TEXT,
    path           TEXT NOT NULL,
    base_value     TEXT,
    local_value    TEXT,
    server_value   TEXT,
    server_version INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (record_type, record_id, path)
);

-- Remote operations already applied (by op id), so a repeated pull page is a no-op.
CREATE TABLE remote_applied (
    op_id   TEXT PRIMARY KEY,
    seq     INTEGER NOT NULL,
    applied INTEGER NOT NULL
) WITHOUT ROWID;

-- Hash-chained audit log: hash = sha256(prev_hash || canonical JSON of the entry). Append-only and read in order,
-- so no index beyond the sequence number (each index would be one more page written by every autosave).
CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,
    entry_id  TEXT NOT NULL,
    at        TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    device_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    case_id   TEXT,
    detail    TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
