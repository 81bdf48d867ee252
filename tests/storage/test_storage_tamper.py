"""Tampering and damage: a flipped byte gives a typed error naming the file, never a crash or wrong data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from storage_support import PASSPHRASE, flip_byte, snapshot

from storage.database import translate
from storage.errors import ProfileDamaged, ProfileNotWritable, WrongPassphrase
from storage.keyfile import _checksum
from storage.profile import KEY_FILE_NAME, Profile, database_path, key_file_path, unlock_profile

PAGE_SIZE = 4096


@pytest.fixture
def closed_profile(profile: Profile, profile_dir: Path, demo) -> Path:
    people, cases = demo
    profile.people.save_many(people)
    for case in cases:
        profile.cases.save(case)
    profile.audit.record("view", case_id=cases[0].id)
    # A fresh backup, so no backup is due at the next unlock: its check of the copy would find any damaged page
    # there, and these tests are about what the app meets afterwards.
    profile.backup_now()
    profile.lock()
    return profile_dir


def _originals(directory: Path) -> dict[str, bytes]:
    return {name: data for name, data in snapshot(directory).items() if name in ("profile.db", KEY_FILE_NAME)}


@pytest.mark.parametrize("offset", [0, 10, 60, 200, -40, -3])
def test_a_flipped_byte_in_the_key_file_names_the_key_file(closed_profile: Path, offset: int) -> None:
    path = key_file_path(closed_profile)
    flip_byte(path, offset % path.stat().st_size)
    before = _originals(closed_profile)
    with pytest.raises(ProfileDamaged) as caught:
        unlock_profile(closed_profile, PASSPHRASE)
    assert caught.value.path == path
    assert _originals(closed_profile) == before


def test_edited_kdf_parameters_with_a_fixed_checksum_do_not_unlock(closed_profile: Path) -> None:
    path = key_file_path(closed_profile)
    body = json.loads(path.read_text())
    body["kdf"]["iterations"] += 1
    body["checksum"] = _checksum(body)
    path.write_text(json.dumps(body))
    # The header is GCM associated data: the edit is caught even though it looks intact.
    with pytest.raises(WrongPassphrase):
        unlock_profile(closed_profile, PASSPHRASE)


def test_a_flipped_byte_in_any_database_page_is_detected(closed_profile: Path, tmp_path: Path) -> None:
    pages = database_path(closed_profile).stat().st_size // PAGE_SIZE
    assert pages >= 5
    for page in range(pages):
        copy = tmp_path / f"page{page}"
        shutil.copytree(closed_profile, copy)
        flip_byte(database_path(copy), page * PAGE_SIZE + 1000)
        before = _originals(copy)
        with pytest.raises(ProfileDamaged) as caught:
            opened = unlock_profile(copy, PASSPHRASE)
            try:
                opened.check_integrity()
            finally:
                opened.lock()
        assert caught.value.path == database_path(copy)
        assert _originals(copy) == before, f"page {page} was rewritten"


def test_a_damaged_page_holding_a_case_fails_the_load_with_the_typed_error(profile: Profile, profile_dir: Path,
                                                                           demo) -> None:
    big = demo[1][0]
    big.origin_note = "Ett långt fält. " * 2000  # spans overflow pages well past the first pages of the file
    profile.cases.save(big)
    profile.backup_now()  # so no backup is due at the next unlock (it would read every page)
    profile.lock()
    path = database_path(profile_dir)
    flip_byte(path, path.stat().st_size - PAGE_SIZE * 2 + 100)
    opened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        with pytest.raises(ProfileDamaged) as caught:
            opened.cases.load(big.id)
        assert caught.value.path == path
    finally:
        opened.lock()


def test_a_missing_key_file_names_it(closed_profile: Path) -> None:
    key_file_path(closed_profile).unlink()
    with pytest.raises(ProfileDamaged) as caught:
        unlock_profile(closed_profile, PASSPHRASE)
    assert caught.value.path == key_file_path(closed_profile)


def test_a_missing_database_names_it(closed_profile: Path) -> None:
    database_path(closed_profile).unlink()
    with pytest.raises(ProfileDamaged) as caught:
        unlock_profile(closed_profile, PASSPHRASE)
    assert caught.value.path == database_path(closed_profile)
    assert not database_path(closed_profile).exists()


def test_damage_under_an_open_profile_refuses_writes_with_the_typed_error(closed_profile: Path, demo) -> None:
    opened = unlock_profile(closed_profile, PASSPHRASE)
    path = database_path(closed_profile)
    try:
        for offset in range(PAGE_SIZE + 100, path.stat().st_size, PAGE_SIZE):  # a failing disk under the running app
            flip_byte(path, offset)
        with opened._db.reading() as connection:
            connection.execute("PRAGMA shrink_memory")  # drop the intact pages SQLite still held
        with pytest.raises(ProfileDamaged):
            opened.cases.load(demo[1][0].id)
        # SQLCipher now refuses every write on this connection ("readonly"): the typed error, never a raw one.
        case = demo[1][1]
        case.origin_note = "Efter skadan."
        with pytest.raises(ProfileDamaged) as caught:
            opened.cases.save(case)
        assert caught.value.path == path
    finally:
        opened.lock()


def test_a_read_only_file_is_not_called_damaged(tmp_path: Path) -> None:
    # A file or folder made read-only under the app is a different problem from damage: no restore is offered.
    path = tmp_path / "plain.db"
    sqlcipher.connect(str(path)).execute("CREATE TABLE t (x)").connection.close()
    read_only = sqlcipher.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlcipher.OperationalError) as raw:
        read_only.execute("INSERT INTO t VALUES (1)")
    read_only.close()
    typed = translate(raw.value, path)
    assert isinstance(typed, ProfileNotWritable) and not isinstance(typed, ProfileDamaged) and typed.path == path


def _what_the_app_does(opened: Profile, case: Any, other_id: str) -> list[str]:
    """List, audit, save, audit, load: "ok" or "damaged" for each; any other exception fails the test."""
    case.origin_note = "Efter skadan."
    steps = (lambda: opened.cases.list_summaries(), lambda: opened.audit.record("unlock"),
             lambda: opened.cases.save(case), lambda: opened.audit.record("view"), lambda: opened.cases.load(other_id))
    outcomes = []
    for step in steps:
        try:
            step()
            outcomes.append("ok")
        except ProfileDamaged:
            outcomes.append("damaged")
    return outcomes


def test_after_a_damaged_page_every_read_and_write_answers_the_typed_error(closed_profile: Path, demo) -> None:
    # SQLCipher keeps a connection in an error state after a page fails: later writes answer "read-only" or even
    # "out of memory". Whatever page is hit, the app must only ever see success or ProfileDamaged.
    pristine = closed_profile.parent / "pristine"
    shutil.copytree(closed_profile, pristine)
    pages = database_path(pristine).stat().st_size // PAGE_SIZE
    outcomes: list[str] = []
    for page in range(2, pages):
        shutil.rmtree(closed_profile)
        shutil.copytree(pristine, closed_profile)
        flip_byte(database_path(closed_profile), (page - 1) * PAGE_SIZE + 100)
        try:
            opened = unlock_profile(closed_profile, PASSPHRASE)
        except ProfileDamaged:
            outcomes.append("unlock")
            continue
        try:
            outcomes.extend(_what_the_app_does(opened, demo[1][0], demo[1][1].id))
        finally:
            opened.lock()
    assert outcomes.count("damaged") >= pages - 2  # nearly every page is read by these steps (the list reads all)
