"""A conflict keeps the device that wrote its server side (storage migration 0015, s29-restored).

After a restore from a backup this laptop's own text synced after the backup comes back in the first pull, which
names each change's device: where it meets an edit typed since, the conflict says its other side is this laptop's
own earlier text (``own_earlier``), so the dialog need not call it "Deras". Another device's text, a later change
that names no device, and a conflict stored before the migration are not this laptop's. Fails on main (no
``own_earlier``, no ``server_device_id``)."""

from __future__ import annotations

from pathlib import Path

from storage_support import PASSPHRASE, flip_byte

from ibic.cases import Case
from ibic.document_paths import diff
from ibic.people import Person
from storage import restored_mark
from storage.layout import database_path
from storage.profile import Profile, unlock_profile
from storage.restore import restore_and_open
from storage.sync_state import RemoteChange

OWN = "device1"  # the conftest profile's device


def _pulled(record_type: str, document: dict[str, object], version: int, first_seq: int) -> list[RemoteChange]:
    """Every field of a record as a first pull brings it (no device named: an ordinary pull)."""
    edits = diff({}, document)
    return [RemoteChange(record_type, str(document["id"]), e.path, "set", e.value, version, first_seq + i,
                         f"op-{document['id']}-{i}") for i, e in enumerate(edits)]


def _restored_with_an_edit(profile: Profile, profile_dir: Path,
                           demo: tuple[list[Person], list[Case]]) -> tuple[Profile, str]:
    """A demo case pulled, backed up, the database damaged and restored as the app does, its note edited again: the
    restored profile and the case's id."""
    people, cases = demo
    case = cases[0]
    person = next(p for p in people if p.id == case.person_id)
    profile.sync.apply_remote(_pulled("person", person.model_dump(mode="json"), 1, 1), 100)
    profile.sync.apply_remote(_pulled("case", case.model_dump(mode="json"), 1, 200), 400)
    assert profile.backup_now() is not None
    profile.lock()
    database = database_path(profile_dir)
    flip_byte(database, 1000)
    _, restored = restore_and_open(profile_dir, PASSPHRASE)
    assert restored_mark.is_put(database)
    edited = restored.cases.load(case.id)
    edited.origin_note = "Skrivet efter återställningen."
    restored.cases.save(edited)
    return restored, case.id


def test_the_pulled_text_of_this_device_makes_a_conflict_whose_other_side_is_its_own_earlier_text(
    profile: Profile, profile_dir: Path, demo: tuple[list[Person], list[Case]],
) -> None:
    restored, case_id = _restored_with_an_edit(profile, profile_dir, demo)
    try:
        back = RemoteChange("case", case_id, "origin_note", "set", "Synkat härifrån efter säkerhetskopian.", 2, 401,
                            "op-own-after-backup", device_id=OWN)
        restored.sync.apply_remote([back], 401)
        [conflict] = restored.sync.conflicts()
        assert (conflict.server_value, conflict.own_earlier) == ("Synkat härifrån efter säkerhetskopian.", True)
        colleague = RemoteChange("case", case_id, "origin_note", "set", "En kollegas text.", 3, 402, "op-colleague",
                                 device_id="device2")
        restored.sync.apply_remote([colleague], 402)  # a later text of another device on the same field: theirs
        [conflict] = restored.sync.conflicts()
        assert (conflict.server_value, conflict.own_earlier) == ("En kollegas text.", False)
        unnamed = RemoteChange("case", case_id, "origin_note", "set", "Okänd skribent.", 4, 403, "op-unnamed")
        restored.sync.apply_remote([unnamed], 403)  # a pull that did not ask who wrote it: not known to be ours
        assert [c.own_earlier for c in restored.sync.conflicts()] == [False]
    finally:
        restored.lock()


def test_a_conflict_stored_before_the_migration_keeps_deras(
    profile: Profile, profile_dir: Path, demo: tuple[list[Person], list[Case]],
) -> None:
    """A database of schema 14 (no ``server_device_id``) with an open conflict: migrated, it is not this laptop's."""
    restored, case_id = _restored_with_an_edit(profile, profile_dir, demo)
    restored.sync.apply_remote([RemoteChange("case", case_id, "origin_note", "set", "Synkat.", 2, 401, "op-own",
                                             device_id=OWN)], 401)
    assert [c.own_earlier for c in restored.sync.conflicts()] == [True]
    with restored._db.transaction() as connection:  # as a program before s29 left it
        connection.execute("ALTER TABLE conflicts DROP COLUMN server_device_id")
        connection.execute("ALTER TABLE cases DROP COLUMN hours")  # migration 0016's, a later one (s29-probe2)
        connection.execute("ALTER TABLE cases DROP COLUMN closing")  # and 0018's
        connection.execute("PRAGMA user_version = 14")
    restored.lock()
    reopened = unlock_profile(profile_dir, PASSPHRASE, backup=False)
    try:
        [conflict] = reopened.sync.conflicts()
        assert (conflict.server_value, conflict.own_earlier) == ("Synkat.", False)
    finally:
        reopened.lock()
