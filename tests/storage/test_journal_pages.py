"""The journal without AUTOINCREMENT and with an index of open entries only (migration 0004, issue 14): an upgrade
keeps every row with its seq and order, and every lookup by state still goes through an index."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from storage_support import PASSPHRASE, TODAY

import storage.migrate
from ibic.cases import Case
from ibic.document_paths import diff
from storage.errors import PendingChangesExist
from storage.migrate import bundled_migrations
from storage.profile import Profile, unlock_profile
from storage.sync_state import PushOutcome, RemoteChange

BEFORE = 3  # the schema version before the journal lost its AUTOINCREMENT


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


def test_an_upgrade_keeps_every_journal_row_its_seq_and_the_conflicts_pointing_at_it(
        profile_dir: Path, demo, monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.kdf import KdfParameters
    from storage.profile import create_profile

    shipped = bundled_migrations()
    monkeypatch.setattr(storage.migrate, "bundled_migrations", lambda: shipped[:BEFORE])
    old = create_profile(profile_dir, PASSPHRASE, user_id="handlaggare1", device_id="device1", kdf=KdfParameters())
    people, cases = demo
    old.people.save_many(people)
    old.cases.save_many(cases)
    for number, case in enumerate(cases[:3]):
        _edit_twice(old, old.cases.load(case.id), f"anteckning {number}")
    acknowledged, parked = (change.op_id for change in old.journal.pending()[:2])
    old.sync.record_push_outcomes([
        PushOutcome(acknowledged, "applied", new_version=1),
        PushOutcome(parked, "conflict", server_value="från servern", server_version=2),
    ])
    with old._db.transaction() as connection:
        connection.execute("DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)")  # as a withdrawal may
        assert connection.execute("SELECT count(*) FROM sqlite_sequence WHERE name = 'journal'").fetchone()[0] == 1
    rows, pending = _journal(old), [change.op_id for change in old.journal.pending()]
    conflicts = old.sync.conflicts()
    old.lock()
    monkeypatch.setattr(storage.migrate, "bundled_migrations", lambda: shipped)

    upgraded = unlock_profile(profile_dir, PASSPHRASE)
    try:
        assert _journal(upgraded) == rows
        assert [change.op_id for change in upgraded.journal.pending()] == pending
        assert upgraded.sync.conflicts() == conflicts and conflicts
        with upgraded._db.reading() as connection:
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
            assert connection.execute("SELECT count(*) FROM sqlite_sequence").fetchone()[0] == 0
            table = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'journal'").fetchone()[0]
            indexes = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'journal'"
                                                        " AND type = 'index'")}
        assert "AUTOINCREMENT" not in table.upper()
        assert indexes == {"journal_open", "sqlite_autoindex_journal_1"}
        _edit_twice(upgraded, upgraded.cases.load(cases[2].id), "efter uppgraderingen")
        added = [row for row in _journal(upgraded) if row[1] not in {old_row[1] for old_row in rows}]
        assert len(added) == 2 and min(row[0] for row in added) > rows[-1][0]  # after every row, in order
        assert [change.op_id for change in upgraded.journal.pending()][-1] == added[-1][1]
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


def test_the_audit_head_reaches_meta_with_the_save_and_a_rollback_leaves_it_as_it_was(profile: Profile, demo) -> None:
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
        head = dict(connection.execute("SELECT key, value FROM meta WHERE key LIKE 'audit_head_%'"))
    assert head == {"audit_head_seq": str(entries[-1].seq), "audit_head_hash": entries[-1].hash}
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert "rullas tillbaka" not in {e.detail for e in entries}
    assert profile.audit.verify().ok
