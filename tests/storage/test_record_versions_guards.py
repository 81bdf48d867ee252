"""Migration 0010 moved each record's version and stamp into ``case_versions`` / ``person_versions``. What such a
move could lose silently, checked through the profile's own entry points on a real SQLCipher file: another
connection's save must still fail this one's stamp check, and a record that leaves the laptop (withdrawal, a person
clash settled) takes its versions row along (``ON DELETE CASCADE``), leaving no row on either side without the other.

Guards from the review of 0010 (s16-rversions): they pass on the code they review, and each was seen failing with
the fault it guards against put in by hand (the stamp check without its stamp; foreign keys off)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from storage_support import CHEAP_KDF, PASSPHRASE, TODAY

from ibic.demo import demo_cases, fully_filled_case
from ibic.document_paths import FieldsOf, diff
from storage.errors import RecordNotFound
from storage.profile import Profile, create_profile, unlock_profile
from storage.sync_state import PushOutcome, RemoteChange

ORPHANS = (
    "SELECT 'case', id FROM case_versions WHERE id NOT IN (SELECT id FROM cases) UNION ALL"
    " SELECT 'case row', id FROM cases WHERE id NOT IN (SELECT id FROM case_versions) UNION ALL"
    " SELECT 'person', id FROM person_versions WHERE id NOT IN (SELECT id FROM people) UNION ALL"
    " SELECT 'person row', id FROM people WHERE id NOT IN (SELECT id FROM person_versions)"
)


def _rows(profile: Profile, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with profile._db.reading() as connection:
        return list(connection.execute(sql, args).fetchall())


def test_a_quick_save_sees_a_save_made_through_another_connection_to_the_file(tmp_path: Path) -> None:
    person, case = fully_filled_case(TODAY)
    first = create_profile(tmp_path / "p", PASSPHRASE, user_id="handlaggare1", device_id="device1", kdf=CHEAP_KDF)
    second = None
    try:
        first.people.save_many([person])
        first.cases.save_many([case])
        second = unlock_profile(tmp_path / "p", PASSPHRASE, backup=False)
        mine, theirs = first.cases.load(case.id), second.cases.load(case.id)
        area = mine.investigation.assessments[0]
        area.need = "Skrivet här först"
        first.cases.save(mine, [FieldsOf(area, frozenset({"need"}))])  # the quick path, its base now this save
        other = theirs.investigation.assessment_for(area.area_id)
        other.goal = "Skrivet i den andra anslutningen"
        second.cases.save(theirs, [FieldsOf(other, frozenset({"goal"}))])  # moves the stamp under the first
        area.own_description = "Skrivet här sedan"
        first.cases.save(mine, [FieldsOf(area, frozenset({"own_description"}))])  # must not write on its old base
        stored = unlock_profile(tmp_path / "p", PASSPHRASE, backup=False)
        try:
            read = stored.cases.load(case.id).investigation.assessment_for(area.area_id)
        finally:
            stored.lock()
        assert (read.need, read.goal, read.own_description) == (
            "Skrivet här först", "Skrivet i den andra anslutningen", "Skrivet här sedan")
        assert first.sync.conflicts() == []
        assert first.audit.verify().ok
    finally:
        if second is not None:
            second.lock()
        first.lock()


def _pull_whole(profile: Profile, record_type: str, document: dict[str, Any], record_id: str, version: int,
                start: int) -> int:
    edits = diff({}, document)
    changes = [RemoteChange(record_type, record_id, e.path, "set", e.value, version, start + i, uuid.uuid4().hex)
               for i, e in enumerate(edits)]
    profile.sync.apply_remote(changes, new_cursor=start + len(changes))
    return start + len(changes)


@pytest.fixture
def profile(tmp_path: Path) -> Any:
    opened = create_profile(tmp_path / "p", PASSPHRASE, user_id="handlaggare1", device_id="device1", kdf=CHEAP_KDF)
    yield opened
    opened.close()


def test_a_withdrawn_case_takes_its_versions_rows_and_its_open_form_cannot_write_it_back(profile: Profile) -> None:
    people, cases = demo_cases(TODAY)
    seq = 1
    for person in people:
        seq = _pull_whole(profile, "person", person.model_dump(mode="json"), person.id, 1, seq)
    for case in cases:
        seq = _pull_whole(profile, "case", case.model_dump(mode="json"), case.id, 1, seq)
    case = next(c for c in cases if [o.person_id for o in cases].count(c.person_id) == 1)
    form = profile.cases.load(case.id)
    form.origin_note = "Skrivet i formuläret"
    profile.cases.save(form, [FieldsOf(form, frozenset({"origin_note"}))])  # its view now holds a stamp
    profile.sync.record_push_outcomes(  # the edit reached the server: nothing unsynced keeps the case here
        [PushOutcome(c.op_id, "applied", new_version=2) for c in profile.journal.pending(1000)])
    assert profile.withdrawals.withdraw([case.id]).removed == (case.id,)
    assert _rows(profile, "SELECT id FROM case_versions WHERE id = ?", case.id) == []
    assert _rows(profile, "SELECT id FROM person_versions WHERE id = ?", case.person_id) == []
    assert _rows(profile, ORPHANS) == []
    form.origin_note = "Skrivet efter att ärendet flyttats"
    with pytest.raises(RecordNotFound):
        profile.cases.save(form, [FieldsOf(form, frozenset({"origin_note"}))])
    assert _rows(profile, "SELECT count(*) FROM journal WHERE record_id = ?", case.id) == [(0,)]
    assert case.id not in {s.case_id for s in profile.cases.list_summaries(today=TODAY)}


def test_a_settled_person_clash_leaves_one_versions_row_on_the_central_person(profile: Profile) -> None:
    people, cases = demo_cases(TODAY)
    person = people[0]
    profile.people.save(person)  # made on this laptop: journaled on version 0
    for case in cases:
        if case.person_id == person.id:
            profile.cases.save(case)
    central = person.model_copy(update={"id": uuid.uuid4().hex})
    _pull_whole(profile, "person", central.model_dump(mode="json"), central.id, 3, 1)
    (clash,) = profile.sync.conflicts()
    profile.sync.resolve_conflict(clash.conflict_id, clash.server_value)
    assert _rows(profile, "SELECT id, version FROM person_versions") == [(central.id, 3)]
    assert _rows(profile, ORPHANS) == []
    moved = profile.cases.list_summaries(today=TODAY)
    assert moved and all(s.person_id == central.id for s in moved)
    assert profile.people.load(central.id).personal_number == person.personal_number
