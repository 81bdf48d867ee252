"""Migration 0013 on a profile made by the program before it (the profile-v9 fixture, brought to schema 12): the
people's name keys are rewritten into one form, nothing else moves (documents, journal, audit chain, sync state,
byte for byte), a backup at schema 12 is made first, and a person whose name mixes both Unicode forms is found by
any form of the query. A guard of s25-odd's migration (s25-rodd's review): passes on s25-odd too."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path
from typing import Any

from storage_support import PASSPHRASE

from storage.backups import list_backups
from storage.database import open_database
from storage.keyfile import read_key_file, unwrap
from storage.migrate import bundled_migrations
from storage.profile import key_file_path, open_with_key, unlock_profile

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "storage"
MIXED = unicodedata.normalize("NFC", "Åsa") + " " + unicodedata.normalize("NFD", "Bäckström")
UNTOUCHED = ("meta", "case_documents", "person_documents", "case_versions", "person_versions", "journal",
             "audit", "case_pulled_entries", "person_pulled_entries")
CASE_COLUMNS = ("id, person_id, case_number, status, next_deadline, next_deadline_text, urgency, valid,"
                " next_deadline_kind, applied_for, work")


def _tables(profile: Any) -> dict[str, list[Any]]:
    with profile._db.reading() as connection:
        found = {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in UNTOUCHED}
        # Migration 0014, which the unlock runs too, clears the cases' day of refresh and adds a column of its own.
        found["cases"] = connection.execute(f"SELECT {CASE_COLUMNS} FROM cases ORDER BY 1").fetchall()
        found["people"] = connection.execute("SELECT id, full_name, personal_number, fictitious, valid FROM people"
                                             " ORDER BY id").fetchall()
        found["keys"] = connection.execute("SELECT id, name_key FROM people ORDER BY id").fetchall()
    return found


def test_migration_13_rewrites_only_the_name_keys_after_a_backup(tmp_path: Path) -> None:
    directory = tmp_path / "profile"
    shutil.copytree(FIXTURES / "profile-v9", directory)
    key = unwrap(read_key_file(key_file_path(directory)), PASSPHRASE)
    old = open_with_key(directory, bytearray(key), migrations=bundled_migrations()[:12], backup=False)
    with old._db.reading() as connection:  # not people.find: its query reads the cases' column of migration 0014
        person_id = connection.execute("SELECT id FROM people WHERE full_name LIKE 'Greta %'").fetchone()[0]
    person = old.people.load(person_id)
    person.given_name, person.family_name = MIXED.split(" ")
    old.people.save(person)
    with old._db.transaction() as connection:  # the keys as the program before 0013 stored them
        connection.execute("UPDATE people SET name_key = lower(full_name)")
        connection.execute("UPDATE people SET name_key = ? WHERE id = ?", (MIXED.casefold(), person_id))
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 12
    before = _tables(old)
    old.lock()
    backups = set(list_backups(directory))

    profile = unlock_profile(directory, PASSPHRASE, backup=False)
    try:
        after = _tables(profile)
        kept = (*UNTOUCHED, "cases", "people")
        assert {t: after[t] for t in kept} == {t: before[t] for t in kept}
        assert after["keys"] != before["keys"]
        assert all(k == unicodedata.normalize("NFKC", n.casefold()) for (_, k), (_, n, *_) in
                   zip(after["keys"], after["people"], strict=True))
        for query in ("åsa bäck", "BÄCKSTRÖM", unicodedata.normalize("NFD", "åsa bäckström")):
            assert [p.person_id for p in profile.people.find(query)] == [person_id], query
        assert profile.audit.verify().ok
        made = set(list_backups(directory)) - backups
        assert len(made) == 1  # made before the migration: schema 12, the keys as they were
        copy, found = open_database(made.pop(), bytearray(key))
        try:
            with copy.reading() as connection:
                assert found == 12 and connection.execute("SELECT id, name_key FROM people ORDER BY id").fetchall() == (
                    before["keys"])
        finally:
            copy.close()
    finally:
        profile.lock()
