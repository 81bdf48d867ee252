"""What the store writes is what the models and the JSON rule write, byte for byte: the store imports neither the
models nor pydantic-core until a record is loaded or saved, and its audit and journal use the plain
``ibic.canonical``/``ibic.stamps`` (docs/architecture.md, "Steady memory after unlock"). Each stored text is compared
with what pydantic's own writer gives for the model, and each hash with one computed here from ``json.dumps``."""

from __future__ import annotations

import hashlib
import json

from ibic.cases import Case
from ibic.changes import FieldChange
from ibic.people import Person
from storage.journal import JOURNAL_COLUMNS, row_to_change
from storage.profile import Profile


def _json(value: object) -> str:
    """The canonical spelling as the rule states it (tests/domain/test_changes.py pins ibic.canonical to it)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _saved(profile: Profile, demo: tuple[list[Person], list[Case]]) -> tuple[Person, Case]:
    people, cases = demo
    case = next(c for c in cases if c.person_id == people[0].id)
    profile.people.save(people[0])
    profile.cases.save(case)
    case.case_number = f"{case.case_number}-ändrad \u00e5"  # an edit after the first save: journaled field by field
    profile.cases.save(case)
    return people[0], case


def test_a_saved_case_and_person_are_stored_as_the_model_writes_them(profile: Profile, demo) -> None:
    person, case = _saved(profile, demo)
    with profile._db.reading() as connection:
        stored_case = connection.execute("SELECT document FROM case_documents WHERE id = ?", (case.id,)).fetchone()[0]
        stored_person = connection.execute("SELECT document FROM person_documents WHERE id = ?",
                                           (person.id,)).fetchone()[0]
    assert stored_case == case.model_dump_json()
    assert stored_person == person.model_dump_json()
    assert profile.cases.load(case.id) == case  # and it loads back as the model (imported at the load)


def test_the_audit_chain_hashes_the_canonical_json_of_each_entry(profile: Profile, demo) -> None:
    _saved(profile, demo)
    profile.audit.record("view", case_id=None, detail="lista")
    entries = profile.audit.entries()
    assert len(entries) >= 3
    prev = "0" * 64
    with profile._db.reading() as connection:
        rows = connection.execute("SELECT seq, entry_id, at, user_id, device_id, action, case_id, detail, prev_hash,"
                                  " hash FROM audit WHERE head_seq IS NULL ORDER BY seq").fetchall()
    for seq, entry_id, at, user_id, device_id, action, case_id, detail, prev_hash, stored in rows:
        text = _json({"seq": seq, "entry_id": entry_id, "at": at, "user_id": user_id, "device_id": device_id,
                      "action": action, "case_id": case_id, "detail": detail})
        assert prev_hash == prev
        assert stored == hashlib.sha256((prev + text).encode("utf-8")).hexdigest()
        prev = stored


def test_journal_entries_hold_the_canonical_value_and_the_models_content_hash(profile: Profile, demo) -> None:
    _person, case = _saved(profile, demo)
    with profile._db.reading() as connection:
        rows = connection.execute(f"SELECT {JOURNAL_COLUMNS} FROM journal ORDER BY seq").fetchall()
    assert len(rows) > 10
    for row in rows:
        change = row_to_change(row)
        assert isinstance(change, FieldChange)  # the model, imported where the row is read as one
        assert row[5] == _json(change.value)  # the stored value: the canonical text
        content = _json([change.record_type, change.record_id, change.path, change.op, change.value,
                         change.base_version])
        assert change.content_hash() == hashlib.sha256(content.encode("utf-8")).hexdigest()
    assert any(r[3] == "case_number" and r[5] == _json(case.case_number) for r in rows)
