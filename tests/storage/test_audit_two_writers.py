"""The audit chain when another connection or thread writes the same profile (a second instance, a tool, sync).

Each transaction reads the chain's head from the file: a head remembered from this connection's last commit would
give the next entry a sequence number another connection already used (every later save refused), and would let
``verify`` pass a stored head that no longer matches the chain.
"""

from __future__ import annotations

import threading
from pathlib import Path

from model_walk import model_nodes, resolve
from storage_support import CHEAP_KDF, PASSPHRASE, TODAY
from test_known_changes import editable_fields

from ibic.demo import fully_filled_case
from storage import audit
from storage.profile import create_profile, unlock_profile
from storage.repositories import base
from storage.repositories.cases import CASE_SUMMARY_FIELDS


def test_a_second_connection_appending_does_not_break_this_ones_next_entry(tmp_path: Path) -> None:
    first = create_profile(tmp_path / "p", PASSPHRASE, user_id="h1", device_id="d1", kdf=CHEAP_KDF)
    try:
        first.audit.record("view", detail="first")
        second = unlock_profile(tmp_path / "p", PASSPHRASE, backup=False)  # as a second instance would
        try:
            second.audit.record("view", detail="second")
        finally:
            second.close()
        first.audit.record("view", detail="first again")
        verification = first.audit.verify()
        assert verification.ok, verification
        assert [entry.detail for entry in first.audit.entries()][-3:] == ["first", "second", "first again"]
    finally:
        first.close()


def test_verify_in_session_reads_the_head_stored_in_the_file(tmp_path: Path) -> None:
    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id="h1", device_id="d1", kdf=CHEAP_KDF)
    try:
        profile.audit.record("view", detail="x")
        with profile._db.transaction() as connection:  # the stored head no longer matches the chain
            connection.execute("UPDATE audit SET head_seq = 0 WHERE head_seq IS NOT NULL")
        assert profile.audit.verify().ok is False
    finally:
        profile.close()


def test_an_entry_written_after_waiting_for_the_lock_is_not_dated_before_the_one_that_held_it(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """An autosave that waited while a sync page held the database gets the next number and a later time."""
    profile = create_profile(tmp_path / "p", PASSPHRASE, user_id="h1", device_id="d1", kdf=CHEAP_KDF)
    person, case = fully_filled_case(TODAY)
    profile.people.save_many([person])
    profile.cases.save_many([case])
    case = profile.cases.load(case.id)
    steps = next(s for s in model_nodes(case) if s[0] not in CASE_SUMMARY_FIELDS
                 and any(isinstance(getattr(resolve(case, s), f), str) for f in editable_fields(resolve(case, s))))
    node = resolve(case, steps)
    name = next(f for f in editable_fields(node) if isinstance(getattr(node, f), str))
    holding, ready, release = threading.Event(), threading.Event(), threading.Event()
    original_placed, original_now = base.placed_text, base.now_text
    stamped_with_the_lock: list[bool] = []

    def placed_then_tell(*args):  # type: ignore[no-untyped-def]
        placed = original_placed(*args)
        ready.set()  # the save has its text and goes for the write lock next
        return placed

    def now_noting_the_lock() -> str:
        stamped_with_the_lock.append(profile._db._lock._is_owned())
        return original_now()

    monkeypatch.setattr(base, "placed_text", placed_then_tell)
    monkeypatch.setattr(base, "now_text", now_noting_the_lock)

    def pull_page() -> None:  # holds the write lock as a pulled page does, and audits at its end
        with profile._db.transaction() as connection:
            holding.set()
            release.wait(timeout=30)
            audit.append(connection, user_id="h1", device_id="d1", action="sync_record_set_aside", case_id=None,
                         detail="x")

    worker = threading.Thread(target=pull_page)
    worker.start()
    try:
        assert holding.wait(timeout=30)
        setattr(node, name, "Ändrad medan en hämtning pågick.")
        saver = threading.Thread(target=lambda: profile.cases.save(case, [node]))
        saver.start()
        assert ready.wait(timeout=30)  # the autosave goes for the lock, which the page still holds
        release.set()
        worker.join()
        saver.join()
        last_two = profile.audit.entries()[-2:]
        assert [entry.action for entry in last_two] == ["sync_record_set_aside", "change"]
        assert last_two[0].at <= last_two[1].at
        assert stamped_with_the_lock == [True]  # the row's stamp, which is the entry's time, read inside the lock
    finally:
        release.set()
        profile.close()
