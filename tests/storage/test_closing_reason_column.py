"""Migration 0018: the case list's ``closing`` column says why a closed case was closed; the cases closed before it
get theirs from the next listing's refresh (nothing parsed by the migration), an open case none."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from storage_support import PASSPHRASE

from ibic.cases import change_status
from ibic.vocabulary import CaseStatus, ClosingReason
from storage.keyfile import read_key_file, unwrap
from storage.profile import Profile, key_file_path, open_with_key


def test_cases_closed_before_migration_18_list_their_reason(profile: Profile, profile_dir: Path, demo) -> None:  # type: ignore[no-untyped-def]
    people, cases = demo
    profile.people.save_many(people)
    today = date.today()
    change_status(cases[0], CaseStatus.CLOSED, today, "Handläggare Test", reason=ClosingReason.DIED)
    change_status(cases[1], CaseStatus.CLOSED, today, "Handläggare Test", reason=ClosingReason.OTHER,
                  note="Bor hos sonen: i Norge")
    for case in cases:
        profile.cases.save(case)
    listed = {s.case_id: s.closing for s in profile.cases.list_summaries(today=today)}
    assert (listed[cases[0].id], listed[cases[1].id], listed[cases[2].id]) == (
        "died", "other:Bor hos sonen: i Norge", "")
    with profile._db.transaction() as connection:  # back to schema 17: no such column
        connection.execute("ALTER TABLE cases DROP COLUMN closing")
        connection.execute("PRAGMA user_version = 17")
    profile.lock()
    reopened = open_with_key(profile_dir, unwrap(read_key_file(key_file_path(profile_dir)), PASSPHRASE))
    try:
        listed = {s.case_id: s.closing for s in reopened.cases.list_summaries(today=today)}
        assert (listed[cases[0].id], listed[cases[1].id], listed[cases[2].id]) == (
            "died", "other:Bor hos sonen: i Norge", "")
    finally:
        reopened.lock()
