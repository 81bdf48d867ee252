-- The audit entry's time as the laptop sent it, the text its hash covers. `at` (timestamptz) is the same instant for
-- ordering and queries, but not the same text: the offset and the digits are gone, and an instant before year 1 or
-- after 9999 in UTC (0001-01-01T00:00:00+14:00 is 0000-12-31 10:00 UTC) prints as BC or year 10000, which Python
-- cannot read back at all. Entries stored before this migration have none: their text is the instant in the laptop's
-- own format (UTC, microseconds, "+00:00"), and the hash tells whether it is (`admin audit-export`).
ALTER TABLE audit_entries ADD COLUMN at_sent text;

-- Who ran each of IT's admin commands that changes who sees what (revoke-device, readmit-device, assign-case, ...):
-- the operating-system account, the account that ran it through sudo, the name given with --by, and the database
-- role. Ids only (device, unit, user, case, integration): never a document or a file name. Append-only.
CREATE TABLE admin_actions (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    os_user    text NOT NULL,
    sudo_user  text,
    by_name    text,
    db_user    text NOT NULL DEFAULT session_user,
    command    text NOT NULL,
    target     jsonb NOT NULL DEFAULT '{}'::jsonb
);

-- Its own words: the audit log's refusal said "audit entries are append-only" of a row of this table. One function
-- serves both, naming the table (audit_entries' words stay as they were).
CREATE OR REPLACE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are append-only', replace(TG_TABLE_NAME, '_', ' ');
END;
$$;

CREATE TRIGGER admin_actions_append_only BEFORE UPDATE OR DELETE ON admin_actions
    FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
