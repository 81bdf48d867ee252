"""A case taken away from this laptop leaves it, with its person and history; unsynced work is never deleted."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from storage_support import PASSPHRASE, TODAY

from ibic.cases import Case
from ibic.document_paths import diff
from ibic.people import Person
from storage.errors import RecordNotFound
from storage.profile import Profile, unlock_profile
from storage.sync_state import PushOutcome, RemoteChange


def _pull_whole(profile: Profile, record_type: str, document: dict[str, object], record_id: str, start: int) -> int:
    edits = diff({}, document)
    changes = [RemoteChange(record_type, record_id, e.path, "set", e.value, 1, start + i, uuid.uuid4().hex)
               for i, e in enumerate(edits)]
    profile.sync.apply_remote(changes, new_cursor=start + len(changes))
    return start + len(changes)


@pytest.fixture
def pulled(profile: Profile, demo: tuple[list[Person], list[Case]]) -> tuple[list[Person], list[Case]]:
    """Every demo case and person pulled from the server, nothing pending."""
    people, cases = demo
    seq = 1
    for person in people:
        seq = _pull_whole(profile, "person", person.model_dump(mode="json"), person.id, seq)
    for case in cases:
        seq = _pull_whole(profile, "case", case.model_dump(mode="json"), case.id, seq)
    assert profile.journal.pending_count() == 0
    return people, cases


def _acknowledge_all(profile: Profile) -> None:
    pending = profile.journal.pending(limit=1000)
    profile.sync.record_push_outcomes([PushOutcome(c.op_id, "applied", new_version=2) for c in pending])


def _rows(profile_dir: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    from storage.database import connect
    from storage.keyfile import read_key_file, unwrap
    from storage.layout import database_path, key_file_path

    key = unwrap(read_key_file(key_file_path(profile_dir)), PASSPHRASE)
    connection = connect(database_path(profile_dir), key)
    try:
        return list(connection.execute(sql, args).fetchall())
    finally:
        connection.close()


def test_a_withdrawn_case_is_deleted_with_its_person_and_history(profile: Profile, profile_dir: Path,
                                                                 pulled: tuple[list[Person], list[Case]]) -> None:
    cases = pulled[1]
    case = next(c for c in cases if [o.person_id for o in cases].count(c.person_id) == 1)
    case.origin_note = "Anteckning som synkats"
    profile.cases.save(case)
    _acknowledge_all(profile)
    result = profile.withdrawals.withdraw([case.id])
    assert result.removed == (case.id,) and result.kept == ()
    with pytest.raises(RecordNotFound):
        profile.cases.load(case.id)
    with pytest.raises(RecordNotFound):
        profile.people.load(case.person_id)
    assert case.id not in {s.case_id for s in profile.cases.list_summaries(today=TODAY)}
    assert [e.action for e in profile.audit.entries()][-1] == "case_withdrawn"
    profile.lock()
    assert _rows(profile_dir, "SELECT count(*) FROM journal WHERE record_id = ?", case.id) == [(0,)]
    assert _rows(profile_dir, "SELECT count(*) FROM case_documents WHERE id = ?", case.id) == [(0,)]
    assert unlock_profile(profile_dir, PASSPHRASE).audit.verify().ok


def test_a_person_with_another_local_case_stays(profile: Profile, pulled: tuple[list[Person], list[Case]]) -> None:
    cases = pulled[1]
    first = cases[0]
    second = cases[1].model_copy(update={"id": "case-second", "person_id": first.person_id})
    _pull_whole(profile, "case", second.model_dump(mode="json"), second.id, 100_000)
    profile.withdrawals.withdraw([first.id])
    assert profile.people.load(first.person_id).id == first.person_id
    assert profile.cases.load(second.id).person_id == first.person_id


def test_unsynced_work_keeps_the_case_until_it_has_reached_the_server(
    profile: Profile, pulled: tuple[list[Person], list[Case]]
) -> None:
    case = pulled[1][0]
    case.origin_note = "Inte synkad än"
    profile.cases.save(case)
    result = profile.withdrawals.withdraw([case.id])
    assert result.removed == () and result.kept == (case.id,)
    assert profile.withdrawals.kept() == [case.id] and not profile.withdrawals.is_removed(case.id)
    assert profile.cases.load(case.id).origin_note == "Inte synkad än"
    assert profile.withdrawals.kept() == [case.id]
    assert profile.withdrawals.retry_kept().kept == (case.id,)  # still pending: still kept
    _acknowledge_all(profile)
    assert profile.withdrawals.retry_kept().removed == (case.id,)
    assert profile.withdrawals.kept() == []
    with pytest.raises(RecordNotFound):
        profile.cases.load(case.id)


def test_an_open_conflict_keeps_the_case(profile: Profile, pulled: tuple[list[Person], list[Case]]) -> None:
    case = pulled[1][0]
    case.origin_note = "Min version"
    profile.cases.save(case)
    pending = profile.journal.pending(limit=10)
    profile.sync.record_push_outcomes([PushOutcome(c.op_id, "conflict", server_value="Deras version",
                                                   server_version=3) for c in pending])
    assert profile.withdrawals.withdraw([case.id]).kept == (case.id,)
    assert profile.cases.load(case.id).origin_note == "Min version"


def test_withdrawing_twice_or_an_unknown_case_changes_nothing(profile: Profile,
                                                              pulled: tuple[list[Person], list[Case]]) -> None:
    case = pulled[1][0]
    profile.withdrawals.withdraw([case.id])
    before = len(profile.audit.entries())
    again = profile.withdrawals.withdraw([case.id, "case-never-here"])
    assert again.removed == () and again.kept == ()
    assert len(profile.audit.entries()) == before
    assert profile.withdrawals.is_removed(case.id)
    profile.withdrawals.reinstate([("case", case.id)])
    assert not profile.withdrawals.is_removed(case.id) and profile.withdrawals.kept() == []


def test_a_form_still_showing_a_removed_case_cannot_bring_it_back(profile: Profile,
                                                                 pulled: tuple[list[Person], list[Case]]) -> None:
    case = profile.cases.load(pulled[1][0].id)  # what an open form holds
    profile.withdrawals.withdraw([case.id])
    case.origin_note = "Autosparat efter flytten"
    with pytest.raises(RecordNotFound):
        profile.cases.save(case)
    assert profile.journal.pending_count() == 0
    profile.withdrawals.reinstate([("case", case.id)])  # assigned back: pulled again, a form may save it
    profile.cases.save(case)
    assert profile.cases.load(case.id).origin_note == "Autosparat efter flytten"


def test_reinstating_a_case_lifts_only_the_marks_of_what_arrives(profile: Profile,
                                                                 pulled: tuple[list[Person], list[Case]]) -> None:
    cases = pulled[1]
    alone = [c for c in cases if [o.person_id for o in cases].count(c.person_id) == 1]
    assert len(alone) >= 1
    first = alone[0]
    person = profile.people.load(first.person_id)  # what a form still holds
    profile.withdrawals.withdraw([first.id])
    profile.withdrawals.reinstate([("case", "some-other-case")])
    with pytest.raises(RecordNotFound):
        profile.people.save(person)  # the person's mark stays: a stale form cannot re-create an orphan
    profile.withdrawals.reinstate([("person", first.person_id)])
    profile.people.save(person)
