"""The pull's fast paths equal the simple ones: summary kept only when no field it reads changed, validation of the
touched fields only equals validation of the whole, stored JSON parsed by pydantic's parser as json.loads does."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from storage_support import CHEAP_KDF, PASSPHRASE, TODAY

from ibic.cases import Case
from ibic.demo import bulk_cases, demo_cases, fully_filled_case
from ibic.document_paths import FieldEdit, apply, diff, get
from ibic.people import Person
from storage.errors import RecordNotFound
from storage.profile import Profile, create_profile
from storage.repositories.cases import CASE_KIND, CASE_SUMMARY_FIELDS, case_summary
from storage.repositories.documents import (
    RecordKind,
    folded_text,
    from_json_text,
    store_documents,
    summary_kept_and_valid,
    to_json_text,
    write_row,
)
from storage.repositories.people import PERSON_KIND, PERSON_SUMMARY_FIELDS, person_summary
from storage.sync_state import RemoteChange


@cache
def _pool() -> tuple[list[Person], list[Case]]:
    people, cases = demo_cases(TODAY)
    more_people, more_cases = bulk_cases(150, TODAY, seed=7)
    full_person, full_case = fully_filled_case(TODAY)
    return [*people, *more_people, full_person], [*cases, *more_cases, full_case]


def _days() -> list[date]:
    return [TODAY + timedelta(days=d) for d in range(-500, 900, 29)]


def test_case_summary_reads_only_its_declared_fields() -> None:
    read: set[str] = set()

    class Tracking(Case):
        def __getattribute__(self, name: str) -> Any:
            if name in Case.model_fields:
                read.add(name)
            return super().__getattribute__(name)

    for case in _pool()[1]:
        tracked = Tracking.model_validate(case.model_dump())
        for day in _days():
            assert case_summary(tracked, day) == case_summary(case, day)
    assert read, "the tracking saw no field access: the test would prove nothing"
    assert read <= CASE_SUMMARY_FIELDS, f"case_summary reads undeclared fields: {sorted(read - CASE_SUMMARY_FIELDS)}"


def test_person_summary_reads_only_its_declared_fields() -> None:
    read: set[str] = set()

    class Tracking(Person):
        def __getattribute__(self, name: str) -> Any:
            if name in Person.model_fields:
                read.add(name)
            return super().__getattribute__(name)

    for person in _pool()[0]:
        tracked = Tracking.model_validate(person.model_dump())
        assert person_summary(tracked, TODAY) == person_summary(person, TODAY)
    assert read <= PERSON_SUMMARY_FIELDS, f"undeclared fields: {sorted(read - PERSON_SUMMARY_FIELDS)}"
    assert {"given_name", "family_name", "personal_number", "fictitious"} <= read


_JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=5), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.just("2026-13-45"), st.just({"id": "x"}),
)


def _full_check(kind: RecordKind, document: dict[str, Any]) -> BaseModel | None:
    """The simple way (store_document's): every field present, then validation of the whole."""
    if not set(kind.model.model_fields) <= document.keys():
        return None
    try:
        return kind.model.model_validate(document)
    except (ValidationError, ValueError):
        return None


@st.composite
def _edited(draw: st.DrawFn, kind: RecordKind, records: list[Any]) -> tuple[dict[str, Any], dict[str, Any], set[str]]:
    """A valid document, the same with some top-level fields replaced (by another record's value or junk)."""
    base = draw(st.sampled_from(records)).model_dump(mode="json")
    names = sorted(kind.model.model_fields)
    touched = set(draw(st.lists(st.sampled_from(names), min_size=1, max_size=3)))
    document = dict(base)
    for name in touched:
        choice = draw(st.integers(0, 3))
        if choice == 0:
            document[name] = draw(_JUNK)
        elif choice == 1:
            document.pop(name)
        else:
            document[name] = draw(st.sampled_from(records)).model_dump(mode="json")[name]
    if draw(st.booleans()) and draw(st.integers(0, 5)) == 0:
        document["unknown_field"] = 1
        touched.add("unknown_field")
    return base, document, touched


def _check_equivalence(kind: RecordKind, base: dict[str, Any], document: dict[str, Any], touched: set[str]) -> None:
    fast = summary_kept_and_valid(kind, document, touched)
    full = _full_check(kind, document)
    if touched & kind.summary_fields:
        assert fast is False
        return
    # Outside the summary fields the fast check decides exactly as validating the whole does.
    assert fast == (full is not None)
    if fast:
        before = kind.model.model_validate(base)
        for day in _days()[::4]:
            assert kind.summary(full, day) == kind.summary(before, day)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_case_fast_check_equals_full_validation_and_keeps_the_summary(data: st.DataObject) -> None:
    base, document, touched = data.draw(_edited(CASE_KIND, _pool()[1]))
    _check_equivalence(CASE_KIND, base, document, touched)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_person_fast_check_equals_full_validation_and_keeps_the_summary(data: st.DataObject) -> None:
    base, document, touched = data.draw(_edited(PERSON_KIND, _pool()[0]))
    _check_equivalence(PERSON_KIND, base, document, touched)


def test_a_field_with_its_own_validator_is_never_checked_alone() -> None:
    person = _pool()[0][0].model_dump(mode="json")
    kind = RecordKind("person", "people", "person_documents", lambda: Person, person_summary, lambda _r: None,
                      frozenset())
    assert summary_kept_and_valid(kind, person, {"phone"})
    assert not summary_kept_and_valid(kind, person, {"personal_number"})


# --- the fast path inside apply_remote, on a real profile ---------------------------------------------------------

NEED = "investigation/assessments/d4/need"


def _remote(case: Case, path: str, value: object, version: int, seq: int, op: str = "set") -> RemoteChange:
    return RemoteChange("case", case.id, path, op, value, version, seq, uuid.uuid4().hex)  # type: ignore[arg-type]


@pytest.fixture
def pulled(profile: Profile, demo: tuple[list[Person], list[Case]]) -> Case:
    people, cases = demo
    profile.people.save_many(people)
    case = cases[0]
    edits = diff({}, case.model_dump(mode="json"))
    profile.sync.apply_remote([_remote(case, e.path, e.value, 1, i + 1) for i, e in enumerate(edits)], len(edits))
    return case


def _row(profile: Profile, case_id: str) -> dict[str, Any]:
    names = ["version", "valid", "person_id", "case_number", "status", "next_deadline", "next_deadline_text",
             "next_deadline_kind", "urgency", "deadline_checked_on", "applied_for", "work",
             "in_force", "hours", "closing", "updated_at"]
    with profile._db.reading() as connection:
        row = connection.execute(f"SELECT {', '.join(names)} FROM cases JOIN case_versions USING (id) WHERE id = ?",
                                 (case_id,)).fetchone()
    return dict(zip(names, row, strict=True))


def _expected_columns(case: Case) -> dict[str, Any]:
    return {**case_summary(case, date.today()), "valid": 1}


def test_a_pulled_change_outside_the_summary_keeps_the_row_right(profile: Profile, pulled: Case) -> None:
    before = _row(profile, pulled.id)
    profile.sync.apply_remote([_remote(pulled, "origin_note", "Ny anteckning", 2, 100),
                               _remote(pulled, NEED, "Behov", 3, 101)], 101)
    loaded = profile.cases.load(pulled.id)
    assert loaded.origin_note == "Ny anteckning"
    assert get(loaded.model_dump(mode="json"), NEED) == "Behov"
    row = _row(profile, pulled.id)
    assert row["version"] == 3 and row["updated_at"] != before["updated_at"]
    assert {k: row[k] for k in _expected_columns(loaded)} == _expected_columns(loaded)


def test_a_pulled_change_of_a_summary_field_rewrites_the_summary(profile: Profile, pulled: Case) -> None:
    profile.sync.apply_remote([_remote(pulled, "case_number", "Ä-2026-999", 2, 100)], 100)
    loaded = profile.cases.load(pulled.id)
    row = _row(profile, pulled.id)
    assert row["case_number"] == "Ä-2026-999"
    assert {k: row[k] for k in _expected_columns(loaded)} == _expected_columns(loaded)


def test_a_pulled_change_that_leaves_a_field_missing_hides_the_record_as_before(profile: Profile,
                                                                                 pulled: Case) -> None:
    # A field gone: incomplete, as while a record arrives field by field; stored hidden, as the slow path says.
    profile.sync.apply_remote([_remote(pulled, "origin_note", None, 2, 100, "remove")], 100)
    assert _row(profile, pulled.id)["valid"] == 0
    with pytest.raises(RecordNotFound):
        profile.cases.load(pulled.id)


def test_a_pulled_remove_of_a_field_the_record_does_not_hold_changes_nothing(profile: Profile, pulled: Case) -> None:
    """Was: the quick check looked the removed field up, KeyError, and the record was set aside (unexpected_error)."""
    applied = profile.sync.apply_remote([_remote(pulled, "no_such_field", None, 2, 100, "remove"),
                                         _remote(pulled, "origin_note", "Kvar", 3, 101)], 101)
    assert applied == 2
    assert profile.sync.quarantined() == []
    assert profile.cases.load(pulled.id) == pulled.model_copy(update={"origin_note": "Kvar"})
    assert _row(profile, pulled.id)["version"] == 3


@pytest.mark.parametrize(("path", "value"), [
    ("origin_note", 5),                      # wrong type in a field checked alone
    ("investigation", {"assessments": 3}),   # a nested model refused
])
def test_a_pulled_change_that_breaks_a_complete_record_is_set_aside_and_the_record_stays(
    profile: Profile, pulled: Case, path: str, value: object
) -> None:
    """Was: the record was stored hidden and left the handläggare's list. Now the change waits in the quarantine."""
    profile.sync.apply_remote([_remote(pulled, path, value, 2, 100)], 100)
    assert _row(profile, pulled.id)["valid"] == 1
    assert profile.cases.load(pulled.id) == pulled
    assert [(r.record_id, r.reason, r.changes) for r in profile.sync.quarantined()] == [
        (pulled.id, "invalid_record", 1)]
    assert profile.sync.cursor() == 100


# --- JSON parsing of stored documents -------------------------------------------------------------------------------

_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
              st.floats(allow_nan=False, allow_infinity=False), st.text()),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(value=_JSON)
def test_stored_json_parses_as_json_loads_does(value: Any) -> None:
    try:
        text = to_json_text({"v": value})
    except ValueError:
        return  # lone surrogates: refused before anything is stored
    assert from_json_text(text) == json.loads(text)
    assert to_json_text(from_json_text(text)) == text
    plain = json.dumps({"v": value})
    assert from_json_text(plain) == json.loads(plain)


def test_stored_documents_round_trip_identically() -> None:
    people, cases = _pool()
    for record in (*people, *cases):
        text = to_json_text(record.model_dump(mode="json"))
        assert from_json_text(text) == json.loads(text)
        assert to_json_text(from_json_text(text)) == text


# --- store_documents (one executemany per statement) writes what one store per record wrote ------------------------

def _store_one_by_one(connection: Any, kind: RecordKind, record_id: str, document: dict[str, Any], version: int,
                      today: date) -> None:
    """The former store_document, statement by statement, as the reference."""
    text = to_json_text(document)
    model = _full_check(kind, document)
    if model is None:
        write_row(connection, kind, record_id, text, {}, version=version, valid=False)
    else:
        write_row(connection, kind, record_id, text, kind.summary(model, today), version=version)


def _rows(profile: Profile) -> list[tuple[Any, ...]]:
    with profile._db.reading() as connection:
        cases = connection.execute(
            "SELECT c.id, c.person_id, c.case_number, c.status, c.next_deadline, c.next_deadline_text, c.urgency,"
            " c.deadline_checked_on, v.version, c.valid, d.document, c.next_deadline_kind, c.applied_for,"
            " c.work, c.in_force, c.hours"
            " FROM cases AS c JOIN case_versions AS v ON v.id = c.id"
            " JOIN case_documents AS d ON d.id = c.id ORDER BY c.id"
        ).fetchall()
        people = connection.execute(
            "SELECT p.id, p.full_name, p.name_key, p.personal_number, p.fictitious, v.version, p.valid, d.document"
            " FROM people AS p JOIN person_versions AS v ON v.id = p.id JOIN person_documents AS d ON d.id = p.id"
            " ORDER BY p.id"
        ).fetchall()
    return [*cases, *people]


def test_store_documents_writes_what_storing_one_by_one_wrote(profile: Profile, tmp_path: Path) -> None:
    other = create_profile(tmp_path / "other", PASSPHRASE, user_id="handlaggare1", device_id="device1", kdf=CHEAP_KDF)
    people, cases = _pool()
    cases, people = cases[:12], people[:6]
    first = [(CASE_KIND, c.id, c.model_dump(mode="json"), 1) for c in cases]
    first += [(PERSON_KIND, p.id, p.model_dump(mode="json"), 1) for p in people]
    second = []
    for index, (kind, record_id, document, _) in enumerate(first):
        changed = dict(document)
        if index % 4 == 1:
            changed.pop(sorted(changed)[0])                 # incomplete: stored hidden, summary kept
        elif index % 4 == 2:
            changed[sorted(changed)[-1]] = {"junk": [1]}    # invalid
        elif index % 4 == 3:
            changed = _pool()[1 if kind is CASE_KIND else 0][-1 - index].model_dump(mode="json") | {"id": record_id}
        second.append((kind, record_id, changed, 2))
    second.append((CASE_KIND, "new-incomplete", {"origin_note": "x"}, 1))
    for batch in (first, second):
        with profile._db.transaction() as connection:
            for kind in (CASE_KIND, PERSON_KIND):
                store_documents(connection, kind, [(r, d, v) for k, r, d, v in batch if k is kind], TODAY)
        with other._db.transaction() as connection:
            for kind, record_id, document, version in batch:
                _store_one_by_one(connection, kind, record_id, document, version, TODAY)
        assert _rows(profile) == _rows(other)
    assert any(row[9] == 0 for row in _rows(profile)[:13]) and any(row[9] == 1 for row in _rows(profile)[:13])
    other.close()


# --- a record read and rewritten by its touched entries only (SQLite's -> and json_set) --------------------------

_ODD_TEXT = 'Citat "så" \\ snedstreck, tab\t, kontroll \u0001, emoji 𝄞, å ä ö'


@pytest.mark.parametrize("page", [
    [("origin_note", "set", _ODD_TEXT)],
    [("origin_note", "set", None)],
    [(NEED, "set", _ODD_TEXT), ("origin_note", "set", "Två entries i en sida")],
    [(NEED, "set", "Först"), (NEED, "set", "Sedan"), ("investigation/assessments/d4/need", "remove", None)],
    [("investigation", "set", {"assessments": 3})],                       # invalid: set aside, the record stays
    [("origin_note", "set", 5)],                                         # invalid scalar
    [("origin_note", "remove", None)],                                   # a field gone: incomplete, hidden
    [("case_number", "set", "Ä-2026-777"), ("origin_note", "set", "Med sammanfattning")],  # summary field too
    [("no_such_field", "set", 1)],                                       # unknown: not a valid record any more
])
def test_a_page_applied_by_entries_stores_what_applying_the_whole_document_gives(
    profile: Profile, pulled: Case, page: list[tuple[str, str, object]]
) -> None:
    """Whatever way a pulled page is written, the stored document is the whole document with the changes applied
    (parsed from the stored text, strictly as the model reads it), or the record stays as it was and the page waits
    in the quarantine when the result would break a complete record."""
    expected: dict[str, Any] = pulled.model_dump(mode="json")
    for path, op, value in page:
        expected = apply(expected, FieldEdit(path, op, value))
    changes = [_remote(pulled, path, value, 2 + i, 100 + i, op) for i, (path, op, value) in enumerate(page)]
    profile.sync.apply_remote(changes, 200)
    stored = _stored_text(profile, pulled.id)
    complete = set(Case.model_fields) <= expected.keys()
    try:
        valid = Case.model_validate(expected) if complete else None
    except ValidationError:
        assert from_json_text(stored) == pulled.model_dump(mode="json")
        assert [r.reason for r in profile.sync.quarantined()] == ["invalid_record"]
        return
    assert from_json_text(stored) == expected
    assert _row(profile, pulled.id)["version"] == 1 + len(page)
    if valid is None:
        assert _row(profile, pulled.id)["valid"] == 0
        return
    assert Case.model_validate_json(stored) == valid
    assert profile.cases.load(pulled.id) == valid
    assert {k: _row(profile, pulled.id)[k] for k in _expected_columns(valid)} == _expected_columns(valid)


def _stored_text(profile: Profile, case_id: str) -> str:
    """The stored text with the pulled entries kept in rows of their own folded in (migration 0008)."""
    with profile._db.reading() as connection:
        text, entries = connection.execute(f"SELECT document, {CASE_KIND.pulled_entries('d')} FROM case_documents"
                                           " AS d WHERE id = ?", (case_id,)).fetchone()
    return folded_text(text, entries)
