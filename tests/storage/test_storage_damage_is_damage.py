"""A page that fails its HMAC or reads back as zeros is damage (ProfileDamaged: lock, offer the backup) wherever it
is met; only a record that parses but no longer validates is a DamagedRecord. No error carries document text."""

from __future__ import annotations

import shutil
import traceback
from datetime import timedelta
from pathlib import Path

import pytest
from storage_support import PASSPHRASE, TODAY, flip_byte

from storage.database import connect
from storage.errors import DamagedRecord, ProfileDamaged
from storage.keyfile import read_key_file, unwrap
from storage.profile import Profile, database_path, key_file_path, unlock_profile

PAGE = 4096
MARKER = "Unik anteckning 7Q3X "


def _chain(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))


def _is_damage_not_record(error: BaseException) -> bool:
    return isinstance(error, ProfileDamaged) and not isinstance(error, DamagedRecord)


@pytest.fixture
def big_case(profile: Profile, profile_dir: Path, demo):  # type: ignore[no-untyped-def]
    people, cases = demo
    big = cases[0]
    big.origin_note = MARKER * 1500  # overflow pages at the end of the file
    profile.people.save_many(people)
    profile.cases.save_many(cases)
    profile.cases.save(big)
    profile.backup_now()  # no backup due at the next unlock (its check would find the damage first)
    profile.lock()
    return big


def _rewrite_document(directory: Path, case_id: str, text: str) -> None:
    connection = connect(database_path(directory), unwrap(read_key_file(key_file_path(directory)), PASSPHRASE))
    try:
        connection.execute("UPDATE case_documents SET document = ? WHERE id = ?", (text, case_id))
    finally:
        connection.close()


def _stored_text(directory: Path, case_id: str) -> str:
    connection = connect(database_path(directory), unwrap(read_key_file(key_file_path(directory)), PASSPHRASE))
    try:
        return str(connection.execute("SELECT document FROM case_documents WHERE id = ?", (case_id,)).fetchone()[0])
    finally:
        connection.close()


def test_a_damaged_page_anywhere_is_damage_at_load_never_a_damaged_record(  # type: ignore[no-untyped-def]
    profile_dir: Path, big_case
):
    # A page failing its HMAC reaches SQLite as zeros once; in the case's overflow pages that made text that does
    # not parse, which was reported as one bad record (no lock, no restore offered).
    pristine = profile_dir.parent / "pristine"
    shutil.copytree(profile_dir, pristine)
    pages = database_path(pristine).stat().st_size // PAGE
    damaged = 0
    for page in range(1, pages):
        shutil.rmtree(profile_dir)
        shutil.copytree(pristine, profile_dir)
        flip_byte(database_path(profile_dir), page * PAGE + 100)
        try:
            opened = unlock_profile(profile_dir, PASSPHRASE)
        except ProfileDamaged as error:
            assert _is_damage_not_record(error), page
            continue
        try:
            opened.cases.load(big_case.id)
        except ProfileDamaged as error:
            assert _is_damage_not_record(error), page
            assert error.path == database_path(profile_dir) and MARKER not in _chain(error)
            damaged += 1
        finally:
            opened.lock()
    assert damaged >= 3  # the case's overflow pages at least


def test_a_document_reading_back_as_zeros_is_damage_wherever_it_is_met(profile_dir: Path, big_case) -> None:  # type: ignore[no-untyped-def]
    text = _stored_text(profile_dir, big_case.id)
    middle = len(text) // 2
    _rewrite_document(profile_dir, big_case.id, text[:middle] + "\0" * PAGE + text[middle + PAGE:])
    opened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        big_case.origin_note += " Mer."
        for where, step in {
            "load": lambda: opened.cases.load(big_case.id),
            "save": lambda: opened.cases.save(big_case),
            "list with the day's deadlines": lambda: opened.cases.list_summaries(today=TODAY + timedelta(days=1)),
        }.items():
            with pytest.raises(ProfileDamaged) as caught:
                step()
            assert _is_damage_not_record(caught.value), where
            assert MARKER not in _chain(caught.value), where
    finally:
        opened.lock()


def test_a_record_that_parses_but_no_longer_validates_stays_a_damaged_record(profile_dir: Path, big_case) -> None:  # type: ignore[no-untyped-def]
    text = _stored_text(profile_dir, big_case.id)
    _rewrite_document(profile_dir, big_case.id, text.replace('"status":"', '"status":"ingen-sådan-', 1))
    opened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        for step in (lambda: opened.cases.load(big_case.id),
                     lambda: opened.cases.list_summaries(today=TODAY + timedelta(days=1))):
            with pytest.raises(DamagedRecord) as caught:
                step()
            assert MARKER not in _chain(caught.value)
    finally:
        opened.lock()


def test_a_journal_value_reading_back_as_zeros_is_damage(profile_dir: Path, big_case) -> None:  # type: ignore[no-untyped-def]
    opened = unlock_profile(profile_dir, PASSPHRASE)
    big_case.origin_note = "En ändring som väntar på sync."
    opened.cases.save(big_case)  # one pending journal entry
    opened.lock()
    connection = connect(database_path(profile_dir), unwrap(read_key_file(key_file_path(profile_dir)), PASSPHRASE))
    try:
        connection.execute("UPDATE journal SET value = ?", ("\0" * 64,))
        assert connection.total_changes >= 1
    finally:
        connection.close()
    opened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        for read in (opened.journal.pending, opened.journal.encoded_pending):  # the second: what a push sends
            with pytest.raises(ProfileDamaged) as caught:  # what sync pushes next: was json's JSONDecodeError
                read()
            assert _is_damage_not_record(caught.value) and caught.value.__cause__ is None
    finally:
        opened.lock()
