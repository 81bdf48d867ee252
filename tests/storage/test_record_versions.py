"""Migration 0010: each record's version and stamp in a narrow table of their own (``case_versions`` /
``person_versions``). A profile made by the program before it migrates and reads the same, and the sync's writes
of a version touch those rows, not the records' rows of summary columns."""

from __future__ import annotations

import json
import shutil
import sys
import uuid
from pathlib import Path
from typing import Any

from storage_support import PASSPHRASE

from ibic.document_paths import FieldsOf
from storage.profile import Profile, unlock_profile
from storage.sync_state import PushOutcome, RemoteChange

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "storage"
sys.path.insert(0, str(FIXTURES))
from make_profile_v9 import reads  # noqa: E402 - the reads the fixture's maker made with the program before 0010


def _upgraded(tmp_path: Path) -> tuple[Profile, dict[str, Any]]:
    directory = tmp_path / "profile"
    shutil.copytree(FIXTURES / "profile-v9", directory)
    expected = json.loads((directory / "expected.json").read_text("utf-8"))
    return unlock_profile(directory, PASSPHRASE), expected


def _versions(profile: Profile) -> list[list[Any]]:
    with profile._db.reading() as connection:
        return [list(row) for row in connection.execute(
            "SELECT 'case', id, version, updated_at FROM case_versions UNION ALL"
            " SELECT 'person', id, version, updated_at FROM person_versions ORDER BY 1, 2").fetchall()]


def test_a_profile_made_before_migration_10_reads_the_same_after_it(tmp_path: Path) -> None:
    profile, expected = _upgraded(tmp_path)
    try:
        versions = expected.pop("versions")
        assert reads(profile) == expected  # the list, every record, conflicts, pending work, the audit chain
        assert _versions(profile) == versions
        with profile._db.reading() as connection:
            columns = {row[1] for table in ("cases", "people")
                       for row in connection.execute(f"PRAGMA table_info({table})").fetchall()}
        assert not columns & {"version", "updated_at"}
    finally:
        profile.lock()


def test_after_the_migration_saves_pulls_and_pushes_move_the_versions_rows(tmp_path: Path) -> None:
    profile, expected = _upgraded(tmp_path)
    try:
        # The case with assessments, whose pulled entry is still a row of its own (migration 0008).
        first = next(case_id for case_id, case in expected["cases"].items() if case["investigation"]["assessments"])
        case = profile.cases.load(first)
        case.origin_note = "Skrivet efter uppgraderingen"
        profile.cases.save(case)  # the whole diff's path
        saved = {row[1]: row for row in _versions(profile)}
        assert saved[first][3] > {row[1]: row for row in expected["versions"]}[first][3]
        area = case.investigation.assessment_for("d4")
        area.own_description = "Egen beskrivning"
        profile.cases.save(case, [FieldsOf(area, frozenset({"own_description"}))])  # the stamp check's path
        stamped = {row[1]: row for row in _versions(profile)}
        assert stamped[first][2] == saved[first][2] and stamped[first][3] > saved[first][3]
        version = saved[first][2]
        own = [c.op_id for c in profile.journal.pending(10_000) if c.record_id == first]
        profile.sync.record_push_outcomes(
            [PushOutcome(op_id, "applied", new_version=version + 1 + n) for n, op_id in enumerate(own)])
        pushed = {row[1]: row for row in _versions(profile)}
        assert pushed[first][2] == version + len(own) and pushed[first][3] == stamped[first][3]
        profile.sync.apply_remote([RemoteChange("case", first, "origin_note", "set", "Från en kollega",
                                                version + len(own) + 1, 10_000, uuid.uuid4().hex)], 10_000)
        pulled = {row[1]: row for row in _versions(profile)}
        assert pulled[first][2] == version + len(own) + 1 and pulled[first][3] > stamped[first][3]
        loaded = profile.cases.load(first)
        assert (loaded.origin_note, loaded.investigation.assessment_for("d4").own_description) == (
            "Från en kollega", "Egen beskrivning")
        assert profile.audit.verify().ok
    finally:
        profile.lock()
