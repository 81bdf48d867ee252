"""Migration 0006: remote_applied keyed by (seq, op id); a page pulled before it is still a no-op after it."""

from __future__ import annotations

import uuid
from pathlib import Path

from storage_support import PASSPHRASE, undo_audit_head_row

from ibic.document_paths import diff
from storage.keyfile import read_key_file, unwrap
from storage.profile import Profile, key_file_path, open_with_key
from storage.sync_state import RemoteChange

OLD_TABLE = (
    "CREATE TABLE remote_applied_old (op_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, applied INTEGER NOT NULL)"
    " WITHOUT ROWID"
)


def test_a_page_pulled_before_migration_6_is_still_applied_once_after_it(
    profile: Profile, profile_dir: Path, demo
) -> None:  # type: ignore[no-untyped-def]
    people, cases = demo
    profile.people.save_many(people)
    case = cases[0]
    page = [RemoteChange("case", case.id, e.path, e.op, e.value, 1, i + 1, uuid.uuid4().hex)  # type: ignore[arg-type]
            for i, e in enumerate(diff({}, case.model_dump(mode="json")))]
    assert profile.sync.apply_remote(page, new_cursor=len(page)) == len(page)
    with profile._db.transaction() as connection:  # back to schema 5: keyed by op id alone
        connection.execute(OLD_TABLE)
        connection.execute("INSERT INTO remote_applied_old SELECT op_id, seq, applied FROM remote_applied")
        connection.execute("DROP TABLE remote_applied")
        connection.execute("ALTER TABLE remote_applied_old RENAME TO remote_applied")
        connection.execute("PRAGMA user_version = 5")
    undo_audit_head_row(profile)  # and before 0007
    profile.lock()
    reopened = open_with_key(profile_dir, unwrap(read_key_file(key_file_path(profile_dir)), PASSPHRASE))
    try:
        with reopened._db.reading() as connection:
            key = {row[1]: row[5] for row in connection.execute("PRAGMA table_info(remote_applied)").fetchall()}
            kept = connection.execute("SELECT count(*) FROM remote_applied").fetchone()[0]
        assert (key["seq"], key["op_id"]) == (1, 2)  # the key begins with seq: a page's rows lie side by side
        assert kept == len(page)
        # The same page again (a crash before its cursor was stored): nothing is applied a second time.
        assert reopened.sync.apply_remote(page, new_cursor=len(page)) == 0
        later = RemoteChange("case", case.id, "origin_note", "set", "Ny anteckning", 2, len(page) + 1, uuid.uuid4().hex)
        assert reopened.sync.apply_remote([later], new_cursor=len(page) + 1) == 1
        assert reopened.sync.apply_remote([later], new_cursor=len(page) + 1) == 0
        assert reopened.cases.load(case.id).origin_note == "Ny anteckning"
    finally:
        reopened.lock()
