-- Units, users, case assignment, enrolled devices.
CREATE TABLE units (
    id          text PRIMARY KEY,
    name        text NOT NULL
);

CREATE TABLE users (
    id          text PRIMARY KEY,
    unit_id     text NOT NULL REFERENCES units(id),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Which unit (and which handläggare) a case belongs to; persons follow their cases.
CREATE TABLE case_access (
    case_id          text PRIMARY KEY,
    unit_id          text NOT NULL REFERENCES units(id),
    assigned_user_id text REFERENCES users(id),
    person_id        text
);
CREATE INDEX case_access_user ON case_access (assigned_user_id);
CREATE INDEX case_access_person ON case_access (person_id);

CREATE TABLE enrollment_codes (
    code_hash   text PRIMARY KEY,
    user_id     text NOT NULL REFERENCES users(id),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE TABLE devices (
    id               text PRIMARY KEY,
    user_id          text NOT NULL REFERENCES users(id),
    name             text NOT NULL DEFAULT '',
    credential_hash  text NOT NULL,
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retire', 'retired', 'lost')),
    enrolled_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at     timestamptz
);

-- Records: the current JSON document and version of each case and person.
CREATE TABLE records (
    record_type      text NOT NULL CHECK (record_type IN ('case', 'person')),
    record_id        text NOT NULL,
    version          bigint NOT NULL DEFAULT 0,
    document         jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_by_unit  text REFERENCES units(id),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (record_type, record_id)
);

-- The version at which each field path last changed, and by which device (conflicts are found by version).
CREATE TABLE field_versions (
    record_type  text NOT NULL,
    record_id    text NOT NULL,
    path         text NOT NULL,
    version      bigint NOT NULL,
    device_id    text NOT NULL,
    PRIMARY KEY (record_type, record_id, path),
    FOREIGN KEY (record_type, record_id) REFERENCES records(record_type, record_id)
);

-- Every operation applied, by op id: a second push of the same op is a duplicate, never a second write.
CREATE TABLE applied_ops (
    op_id         text PRIMARY KEY,
    content_hash  text NOT NULL,
    record_type   text NOT NULL,
    record_id     text NOT NULL,
    version       bigint NOT NULL,
    device_id     text NOT NULL,
    user_id       text NOT NULL,
    hlc           text NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now()
);

-- Append-only change log; seq is the pull cursor. Rows are inserted under an advisory lock so that
-- sequence numbers become visible in order (a reader never skips a seq committed late).
CREATE TABLE change_log (
    seq          bigserial PRIMARY KEY,
    record_type  text NOT NULL,
    record_id    text NOT NULL,
    path         text NOT NULL,
    op           text NOT NULL CHECK (op IN ('set', 'remove')),
    value        jsonb,
    version      bigint NOT NULL,
    op_id        text NOT NULL,
    device_id    text NOT NULL,
    logged_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_log_record ON change_log (record_type, record_id, seq);

-- Audit entries from devices, append-only (no UPDATE/DELETE: enforced by trigger).
CREATE TABLE audit_entries (
    device_id    text NOT NULL,
    seq          bigint NOT NULL,
    entry_id     text NOT NULL,
    at           timestamptz NOT NULL,
    user_id      text NOT NULL,
    action       text NOT NULL,
    case_id      text,
    detail       text NOT NULL DEFAULT '',
    prev_hash    text NOT NULL,
    hash         text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device_id, seq)
);

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only';
END;
$$;

CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
