"""A push's answers are recorded without an fsync (``Database.transaction(durable=False)``): losing that recording
to a power cut is harmless. The power cut is made by hand: the profile's files as the disk held them before the
recording (every save before it was fsynced; the recording's WAL frames lost), with the save count written beside
the database as after it (the small file may reach the disk first). The laptop unlocks, its next sync pushes the
entries again, the server answers ``duplicate`` with the versions it applied them at, and both sides end equal:
nothing lost, nothing applied twice, and the next edit is based on the right version."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sync_support import PASSPHRASE, Env, Laptop, assert_exactly_once_and_converged, edit_case, make_laptop

import storage.sync_state as sync_state
from storage.profile import unlock_profile
from storage.save_counter import counter_path
from sync.client.push import push_pending
from sync.progress import SyncReport
from sync.server.dev import DEMO_USER


def _versions(profile, case_ids):  # type: ignore[no-untyped-def]
    with profile._db.reading() as connection:
        return {case_id: connection.execute("SELECT version FROM case_versions WHERE id = ?", (case_id,)).fetchone()[0]
                for case_id in case_ids}


def test_a_push_answer_lost_to_a_power_cut_is_pushed_again_and_ends_right(env: Env, tmp_path: Path,
                                                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    case_ids = [s.case_id for s in a.profile.cases.list_summaries()[:2]]
    for number, case_id in enumerate(case_ids):
        edit_case(a.profile, case_id, origin_note=f"Anteckning före strömavbrottet {number}")
    expected = {change.op_id for change in a.profile.journal.pending(limit=10)}
    before = _versions(a.profile, case_ids)

    # The disk as a power cut right after the push would leave it: the files before the recording (copied while
    # the connection is open: every commit so far is in them) ...
    cut = tmp_path / "cut"
    shutil.copytree(a.directory, cut, ignore=shutil.ignore_patterns("*-shm"))
    settings: list[int] = []
    record = sync_state.record_outcomes

    def watched(connection, outcomes, **options):  # type: ignore[no-untyped-def]
        settings.append(connection.execute("PRAGMA synchronous").fetchone()[0])
        return record(connection, outcomes, **options)

    monkeypatch.setattr(sync_state, "record_outcomes", watched)
    report = SyncReport()
    push_pending(a.session, a.profile, report, batch_size=1)
    monkeypatch.undo()
    assert report.applied == 2 and settings and set(settings) == {1}  # NORMAL: committed without an fsync
    with a.profile._db.reading() as connection:
        assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL again for every save after it
    assert a.profile.journal.pending_count() == 0
    # ... and the save count beside the database as written after the recording.
    shutil.copyfile(counter_path(a.profile._db.path), counter_path(cut / a.profile._db.path.name))
    a.profile.lock()

    restarted = Laptop(unlock_profile(cut, PASSPHRASE, backup=False), a.session, cut)  # not taken for damage
    try:
        assert {change.op_id for change in restarted.profile.journal.pending(limit=10)} == expected
        assert _versions(restarted.profile, case_ids) == before
        again = restarted.sync()
        assert (again.duplicates, again.applied, again.conflicts) == (2, 0, 0)
        assert_exactly_once_and_converged(env, a.profile.device_id, expected, restarted)
        server_versions = {r["record_id"]: r["version"] for r in env.sql(
            "SELECT record_id, version FROM records WHERE record_type = 'case' AND record_id = ANY(%s)", (case_ids,))}
        assert _versions(restarted.profile, case_ids) == server_versions
        # The next edit is based on the version the server holds: applied, not a conflict.
        edit_case(restarted.profile, case_ids[0], origin_note="Anteckning efter strömavbrottet")
        after = restarted.sync()
        assert (after.applied, after.conflicts) == (1, 0)
    finally:
        restarted.profile.lock()



def _disk_at_each_fsync(laptop: Laptop, disk: Path) -> None:
    """``disk`` is kept as a power cut would leave the profile: its files as of the last commit made with an fsync
    (a durable transaction: every commit before it is in the WAL it synced), none after it."""
    database = laptop.profile._db
    transaction = database.transaction

    def copy() -> None:
        shutil.rmtree(disk, ignore_errors=True)
        shutil.copytree(laptop.directory, disk, ignore=shutil.ignore_patterns("*-shm"))

    @contextmanager
    def watched(*, durable: bool = True) -> Iterator[Any]:
        with transaction(durable=durable) as connection:
            yield connection
        if durable:
            copy()

    copy()
    database.transaction = watched  # type: ignore[method-assign]


def test_an_edit_typed_while_the_push_was_out_survives_a_power_cut_after_the_push(
        env: Env, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The entry sent is superseded by an edit typed while its request was out; the first answer's recording moves
    the typed edit's base, and the push sends it on that base. A power cut right after the push must not leave the
    typed edit on its old base: the server holds its op id with the moved one, and refused it as an op id reused
    with other content at every later sync (s18-pushlap: that recording was made without an fsync). Both sides
    end with the text typed last, every op applied once."""
    a = make_laptop(env, tmp_path / "a", DEMO_USER)
    a.sync()
    case_id = a.profile.cases.list_summaries()[0].case_id
    edit_case(a.profile, case_id, origin_note="Skickad före strömavbrottet")
    cut = tmp_path / "cut"
    _disk_at_each_fsync(a, cut)
    post = a.session.post
    typed: list[str] = []

    def typed_while_out(path, message, answer):  # type: ignore[no-untyped-def]
        if path == "/v1/push" and not typed:
            edit_case(a.profile, case_id, origin_note="Skriven medan den skickades")
            typed.append(path)
        return post(path, message, answer)

    monkeypatch.setattr(a.session, "post", typed_while_out)
    report = SyncReport()
    push_pending(a.session, a.profile, report)
    monkeypatch.undo()
    assert typed and report.applied == 2 and a.profile.journal.pending_count() == 0
    expected = {r["op_id"] for r in env.sql("SELECT op_id FROM change_log WHERE device_id = %s",
                                             (a.profile.device_id,))}
    # The save count beside the database as written after the push (the small file may reach the disk first).
    shutil.copyfile(counter_path(a.profile._db.path), counter_path(cut / a.profile._db.path.name))
    del a.profile._db.transaction
    a.profile.lock()

    restarted = Laptop(unlock_profile(cut, PASSPHRASE, backup=False), a.session, cut)
    try:
        again = restarted.sync()
        assert (again.applied, again.conflicts, again.rejected) == (0, 0, 0)
        assert_exactly_once_and_converged(env, a.profile.device_id, expected, restarted)
        assert restarted.profile.cases.load(case_id).origin_note == "Skriven medan den skickades"
    finally:
        restarted.profile.lock()
