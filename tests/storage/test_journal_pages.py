"""The journal without AUTOINCREMENT and with an index of open entries only (migration 0004, issue 14): an upgrade
keeps every row with its seq and order, and every lookup by state still goes through an index."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from storage_support import PASSPHRASE, TODAY

from ibic.cases import Case
from ibic.document_paths import diff
from storage.errors import PendingChangesExist
from storage.profile import Profile, database_path, key_file_path, unlock_profile
from storage.sync_state import PushOutcome, RemoteChange

BEFORE = 3  # the schema version before the journal lost its AUTOINCREMENT
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "storage"


def _journal(profile: Profile) -> list[tuple[Any, ...]]:
    with profile._db.reading() as connection:
        return connection.execute("SELECT * FROM journal ORDER BY seq").fetchall()


def _edit_twice(profile: Profile, case: Case, text: str, *, pushed_between: bool = True) -> None:
    case.origin_note = text
    profile.cases.save(case)
    if pushed_between:
        profile.journal.pending(10_000)  # as a push reads it: the next edit supersedes the entry
    case.origin_note = text + " och mer"
    profile.cases.save(case)  # supersedes the first entry, or (no push between) changes it in place


def old_profile(name: str, directory: Path) -> Path:
    """A copy of ``tests/fixtures/storage/<name>``, a profile written by an older program (see its make script)."""
    shutil.copytree(FIXTURES / name, directory)
    return directory


def raw_rows(directory: Path, *queries: str) -> list[list[tuple[Any, ...]]]:
    """What ``queries`` return from a profile's file as it is, through a raw keyed connection (no migration)."""
    from storage.database import connect
    from storage.keyfile import read_key_file, unwrap

    key = unwrap(read_key_file(key_file_path(directory)), PASSPHRASE)
    connection = connect(database_path(directory), key)
    try:
        return [connection.execute(query).fetchall() for query in queries]
    finally:
        connection.close()


def test_an_upgrade_keeps_every_journal_row_its_seq_and_the_conflicts_pointing_at_it(tmp_path: Path) -> None:
    directory = old_profile("profile-v3-journal", tmp_path / "profile")
    version, rows, pending, conflicts, sequence = raw_rows(
        directory, "PRAGMA user_version", "SELECT * FROM journal ORDER BY seq",
        "SELECT op_id FROM journal WHERE state = 'pending' ORDER BY seq", "SELECT * FROM conflicts ORDER BY path",
        "SELECT count(*) FROM sqlite_sequence WHERE name = 'journal'")
    assert version == [(BEFORE,)] and sequence == [(1,)]
    assert {row[-3] for row in rows} == {"acknowledged", "conflict", "superseded"} and conflicts

    upgraded = unlock_profile(directory, PASSPHRASE)
    try:
        assert _journal(upgraded) == rows
        assert [change.op_id for change in upgraded.journal.pending()] == [op_id for (op_id,) in pending]
        with upgraded._db.reading() as connection:
            after = connection.execute("SELECT * FROM conflicts ORDER BY path").fetchall()
            assert [tuple(row[:-1]) for row in after] == conflicts  # migration 0015 adds the last column:
            assert {row[-1] for row in after} == {None}  # whose the server's side is, unknown for an old conflict
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
            assert connection.execute("SELECT count(*) FROM sqlite_sequence").fetchone()[0] == 0
            table = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'journal'").fetchone()[0]
            indexes = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'journal'"
                                                        " AND type = 'index'")}
        assert "AUTOINCREMENT" not in table.upper()
        assert indexes == {"journal_open", "sqlite_autoindex_journal_1"}
        edited = next(s.case_id for s in upgraded.cases.list_summaries(today=TODAY) if s.pending_changes == 0)
        _edit_twice(upgraded, upgraded.cases.load(edited), "efter uppgraderingen")
        added = [row for row in _journal(upgraded) if row[1] not in {old_row[1] for old_row in rows}]
        assert len(added) == 2 and min(row[0] for row in added) > rows[-1][0]  # after every row, in order
        assert [change.op_id for change in upgraded.journal.pending()][-1] == added[-1][1]
        assert upgraded.audit.verify().ok
    finally:
        upgraded.lock()


def _plans(profile: Profile, statements: list[str]) -> list[tuple[str, str]]:
    """(statement, query plan) of every statement that reads the journal by its state."""
    found = []
    with profile._db.reading() as connection:
        for sql in statements:
            if "journal" in sql and "state" in sql and not sql.lstrip().upper().startswith(("INSERT", "CREATE")):
                plan = " / ".join(r[3] for r in connection.execute(f"EXPLAIN QUERY PLAN {sql}"))
                found.append((sql, plan))
    return found


def test_every_lookup_of_open_entries_uses_an_index(profile: Profile, demo) -> None:
    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    for case in cases:
        for number in range(3):
            _edit_twice(profile, profile.cases.load(case.id), f"anteckning {number}")
    statements: list[str] = []
    with profile._db.reading() as connection:
        connection.set_trace_callback(statements.append)
    try:
        case = profile.cases.load(cases[0].id)
        _edit_twice(profile, case, "igen")  # the autosave: the record's pending entries and conflicts
        _edit_twice(profile, case, "och igen", pushed_between=False)  # typing on: the entry changed in place
        profile.journal.pending()
        profile.journal.pending_count()
        profile.cases.list_summaries(today=TODAY)  # the pending count per case
        profile.sync.record_push_outcomes([PushOutcome(profile.journal.pending()[0].op_id, "applied",
                                                       new_version=1)])
        edits = diff({}, cases[1].model_dump(mode="json"))[:3]
        profile.sync.apply_remote([RemoteChange("case", cases[1].id, e.path, "set", e.value, 1, i + 1,
                                                uuid.uuid4().hex) for i, e in enumerate(edits)], new_cursor=3)
        profile.withdrawals.withdraw([cases[2].id])  # kept: it has unsynced edits
        with pytest.raises(PendingChangesExist):
            profile.cases.save_many([cases[0]])  # refused: pending edits
    finally:
        with profile._db.reading() as connection:
            connection.set_trace_callback(None)
    plans = _plans(profile, statements)
    assert len({sql.split()[0] + sql.split()[1] for sql, _ in plans}) >= 4
    scans = [(sql, plan) for sql, plan in plans if "SCAN journal" in plan]
    assert scans == []


def test_the_audit_head_reaches_its_row_with_the_save_and_a_rollback_leaves_it_as_it_was(profile: Profile,
                                                                                        demo) -> None:
    from storage import audit

    people, cases = demo
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    case = profile.cases.load(cases[0].id)
    _edit_twice(profile, case, "sparad")
    with pytest.raises(RuntimeError), profile._db.transaction() as connection:
        audit.append(connection, user_id="handlaggare1", device_id="device1", action="view", case_id=None,
                     detail="rullas tillbaka")
        raise RuntimeError("the save fails after its audit entry")
    profile.audit.record("view", case_id=case.id)
    entries = profile.audit.entries()
    with profile._db.reading() as connection:
        [head] = connection.execute("SELECT seq - 1, head_seq, hash, save_count FROM audit WHERE head_seq IS NOT NULL"
                                    " AND seq = (SELECT max(seq) FROM audit)").fetchall()  # the one head row, last
        in_meta = connection.execute("SELECT count(*) FROM meta WHERE key LIKE 'audit_head_%' OR key = 'save_count'")
        assert in_meta.fetchone()[0] == 0
    assert head == (entries[-1].seq, entries[-1].seq, entries[-1].hash, profile._db._saves.count)
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert "rullas tillbaka" not in {e.detail for e in entries}
    assert profile.audit.verify().ok
