"""The bulk path of a pulled page (storage.repositories.pulled_bulk): the common record (another device's edits of
whole entries outside the summary of a valid case with nothing local) is applied in one pass for the whole group;
every other record of the same page takes the general path and ends as it did before. A real SQLCipher profile."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

import pytest
from storage_support import TODAY

from ibic.cases import Case
from ibic.demo import bulk_cases
from ibic.people import Person
from storage import quarantine
from storage.profile import Profile
from storage.sync_state import RemoteChange, SyncState


def _remote(case_id: str, path: str, value: object, version: int, seq: int, op_id: str | None = None,
            record_type: str = "case") -> RemoteChange:
    return RemoteChange(record_type, case_id, path, "set", value, version, seq,  # type: ignore[arg-type]
                        op_id or uuid.uuid4().hex)


@pytest.fixture
def caseload() -> tuple[list[Person], list[Case]]:
    return bulk_cases(10, TODAY)


@pytest.fixture
def cases(profile: Profile, caseload: tuple[list[Person], list[Case]]) -> list[Case]:
    """Ten cases stored as a first pull would leave them: version 1, nothing pending."""
    people, stored = caseload
    profile.people.save_many(people)
    profile.cases.save_many(stored)
    with profile._db.transaction() as connection:
        connection.execute("UPDATE journal SET state = 'acknowledged'")
        connection.execute("UPDATE case_versions SET version = 1")
        connection.execute("UPDATE person_versions SET version = 1")
    return stored


@pytest.fixture
def general(monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, str]]:
    """The records the page sent through the general path (``_apply_group``)."""
    seen: set[tuple[str, str]] = set()
    original = SyncState._apply_group

    def spy(self: SyncState, connection: Any, group: list[Any], *args: Any) -> Any:
        seen.add((group[0].record_type, group[0].record_id))
        return original(self, connection, group, *args)

    monkeypatch.setattr(SyncState, "_apply_group", spy)
    return seen


def _version(profile: Profile, case_id: str) -> int:
    with profile._db.reading() as connection:
        return int(connection.execute("SELECT version FROM case_versions WHERE id = ?", (case_id,)).fetchone()[0])


def test_a_page_mixing_common_records_and_others_applies_each_as_before(
    profile: Profile, cases: list[Case], general: set[tuple[str, str]],
    caseload: tuple[list[Person], list[Case]]
) -> None:
    c = [case.id for case in cases]
    # Local work: a pending edit on c[2] (another field) and on c[3] (the field the page changes); c[6]'s own edit.
    for index, name in ((2, "caseworker"), (3, "caseworker"), (6, "chosen_provider")):
        case = profile.cases.load(c[index])
        setattr(case, name, f"Lokalt {index}")
        profile.cases.save(case)
    own = next(e for e in profile.journal.pending() if e.record_id == c[6])
    person = caseload[0][0]
    page = [
        _remote(c[0], "origin_note", "Centralt 0", 2, 101),  # common
        _remote(c[1], "origin_note", "Centralt 1a", 2, 102),  # common, twice: the later one stays
        _remote(c[1], "chosen_provider", "Utförare 1", 3, 103),
        _remote(c[2], "origin_note", "Centralt 2", 2, 104),  # pending elsewhere in the record: general
        _remote(c[3], "caseworker", "Kollega 3", 2, 105),  # pending on the same field: a conflict
        _remote(c[4], "origin_note", 5, 2, 106),  # not text: declined by the bulk path, set aside as before
        _remote(c[5], "case_number", "Ä-2026-555", 2, 107),  # a summary column: the whole way
        _remote(c[6], "chosen_provider", "Lokalt 6", 2, 108, own.op_id),  # this laptop's own edit back
        _remote(c[7], "origin_note", "Centralt 7", 2, 109),  # common
        _remote(c[1], "origin_note", "Centralt 1b", 4, 110),
        _remote(person.id, "language", "finska", 2, 111, record_type="person"),  # a person: general
    ]
    applied = profile.sync.apply_remote(page, 111)

    assert general == {("case", c[i]) for i in (2, 3, 4, 5, 6)} | {("person", person.id)}
    assert applied == 8  # not c[3]'s (the local value stays), c[4]'s (set aside) nor c[6]'s (its own)
    loaded = {case_id: profile.cases.load(case_id) for case_id in c[:8] if case_id != c[4]}
    assert loaded[c[0]].origin_note == "Centralt 0" and _version(profile, c[0]) == 2
    assert (loaded[c[1]].origin_note, loaded[c[1]].chosen_provider) == ("Centralt 1b", "Utförare 1")
    assert _version(profile, c[1]) == 4
    assert (loaded[c[2]].origin_note, loaded[c[2]].caseworker) == ("Centralt 2", "Lokalt 2")
    [conflict] = profile.sync.conflicts()
    assert (conflict.record_id, conflict.path, conflict.local_value, conflict.server_value) == (
        c[3], "caseworker", "Lokalt 3", "Kollega 3")
    assert loaded[c[3]].caseworker == "Lokalt 3"
    assert [r.record_id for r in profile.sync.quarantined()] == [c[4]]
    assert profile.cases.list_summaries(text="Ä-2026-555")[0].case_id == c[5]
    assert loaded[c[6]].chosen_provider == "Lokalt 6" and _version(profile, c[6]) == 2
    assert own.op_id not in {e.op_id for e in profile.journal.pending()}
    assert loaded[c[7]].origin_note == "Centralt 7"
    assert profile.people.load(person.id).language == "finska"
    assert profile.sync.cursor() == 111

    general.clear()
    assert profile.sync.apply_remote(page, 111) == 0  # the same page again: nothing applied twice
    assert profile.cases.load(c[1]).origin_note == "Centralt 1b"


def test_a_common_record_whose_entry_does_not_validate_takes_the_general_path(
    profile: Profile, cases: list[Case], general: set[tuple[str, str]]
) -> None:
    """The bulk path validates each new entry alone with the model's validator: one that fails is the general
    path's to decide (here: set aside), the records beside it still go in bulk."""
    c = [case.id for case in cases]
    page = [_remote(c[0], "origin_note", "ok", 2, 201), _remote(c[1], "chosen_provider", "x" * 300, 2, 202),
            _remote(c[2], "chosen_provider", "ok", 2, 203)]
    profile.sync.apply_remote(page, 203)
    assert general == {("case", c[1])}
    assert [r.record_id for r in profile.sync.quarantined()] == [c[1]]
    assert profile.cases.load(c[0]).origin_note == "ok"
    assert profile.cases.load(c[2]).chosen_provider == "ok"


def test_a_record_held_aside_takes_the_general_path_with_its_new_common_change(
    profile: Profile, cases: list[Case], general: set[tuple[str, str]]
) -> None:
    """A record in the quarantine is tried again with its held changes and its new one on the general path, which
    applies them together and takes it out of the quarantine (here its held change applies now: a program fixed
    since, say); common as the new change looks, it does not go in bulk."""
    c = [case.id for case in cases]
    held = _remote(c[0], "origin_note", "Hållen", 2, 301)
    with profile._db.transaction() as connection:
        quarantine.put(connection, [asdict(held)], "invalid_record")
    assert [r.record_id for r in profile.sync.quarantined()] == [c[0]]
    profile.sync.apply_remote([_remote(c[0], "chosen_provider", "ok", 3, 302),
                               _remote(c[1], "chosen_provider", "ok", 2, 303)], 303)
    assert general == {("case", c[0])}
    assert profile.sync.quarantined() == []
    loaded = profile.cases.load(c[0])
    assert (loaded.origin_note, loaded.chosen_provider, _version(profile, c[0])) == ("Hållen", "ok", 3)
    assert profile.cases.load(c[1]).chosen_provider == "ok"


def test_records_set_aside_are_told_in_the_page_order_whichever_path_gave_them_up(
    profile: Profile, cases: list[Case]
) -> None:
    """The audit tells of records set aside in the order the page brings them, as before the bulk path: one the
    bulk path gives back (its entry does not validate) is decided in its place, not after every other record
    (it was put at the end of the page's records, so its audit entry came after c[1]'s)."""
    c = [case.id for case in cases]
    since = profile.audit.entries()[-1].seq if profile.audit.entries() else 0
    page = [_remote(c[0], "chosen_provider", "x" * 300, 2, 401),  # given back by the bulk path, then set aside
            _remote(c[1], "case_number", 5, 2, 402),  # a summary column: the general path sets it aside
            _remote(c[2], "origin_note", "ok", 2, 403)]
    profile.sync.apply_remote(page, 403)
    told = [e.case_id for e in profile.audit.entries(since) if e.action == "sync_record_set_aside"]
    assert told == [c[0], c[1]]
    assert {r.record_id for r in profile.sync.quarantined()} == {c[0], c[1]}
    assert profile.cases.load(c[2]).origin_note == "ok"
