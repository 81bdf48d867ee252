"""The quarantine on a real SQLCipher file: a pulled record that cannot be applied is set aside with nothing half
written, the rest applies, and it applies as soon as the cause is gone (the next change, or a fixed program)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from ibic.cases import Case
from ibic.document_paths import diff
from storage.errors import InvalidRecord
from storage.profile import Profile
from storage.repositories import cases as case_repository
from storage.sync_state import RemoteChange

FAR = "9999-12-31"


def _remote(case: Case, path: str, value: object, version: int, seq: int) -> RemoteChange:
    return RemoteChange("case", case.id, path, "set", value, version, seq, uuid.uuid4().hex)


@pytest.fixture
def synced(profile: Profile, demo) -> Case:
    people, cases = demo
    profile.people.save_many(people)
    case = cases[0]
    edits = diff({}, case.model_dump(mode="json"))
    profile.sync.apply_remote([_remote(case, e.path, e.value, 1, i + 1) for i, e in enumerate(edits)], 1_000)
    return case


def _audit_details(profile: Profile) -> list[str]:
    return [e.detail for e in profile.audit.entries() if e.action == "sync_record_set_aside"]


def test_a_far_date_pulled_onto_a_case_with_a_local_edit_leaves_no_half_written_conflict(
    profile: Profile, synced: Case
) -> None:
    synced.caseworker = "Jag"
    profile.cases.save(synced)
    pending = profile.journal.pending_count()
    # The server's caseworker meets the local edit (a conflict is opened), then its far date breaks the record.
    profile.sync.apply_remote([_remote(synced, "caseworker", "Kollega", 2, 1_001),
                               _remote(synced, "application/received_on", FAR, 3, 1_002)], 1_002)
    assert profile.sync.conflicts() == []  # undone to the savepoint with the record
    assert profile.journal.pending_count() == pending
    assert profile.cases.load(synced.id) == synced
    [held] = profile.sync.quarantined()
    assert (held.record_id, held.reason, held.changes) == (synced.id, "date_out_of_range", 2)
    assert profile.sync.cursor() == 1_002
    assert len(_audit_details(profile)) == 1 and "date_out_of_range" in _audit_details(profile)[0]


def test_a_record_set_aside_applies_when_the_next_page_brings_the_fix(profile: Profile, synced: Case) -> None:
    profile.sync.apply_remote([_remote(synced, "application/received_on", FAR, 2, 1_001)], 1_001)
    assert profile.cases.load(synced.id).application.received_on == synced.application.received_on
    profile.sync.apply_remote([_remote(synced, "caseworker", "Kollega", 3, 1_002)], 1_002)
    assert len(profile.sync.quarantined()) == 1  # still the far date: both wait, in order
    assert len(_audit_details(profile)) == 1  # told once, not at every retry
    profile.sync.apply_remote([_remote(synced, "application/received_on", "2026-11-01", 4, 1_003)], 1_003)
    loaded = profile.cases.load(synced.id)
    assert (loaded.application.received_on.isoformat(), loaded.caseworker) == ("2026-11-01", "Kollega")
    assert profile.sync.quarantined() == []


def test_a_record_a_bug_stops_is_set_aside_and_applies_at_the_next_sync_once_the_program_is_fixed(
    profile: Profile, synced: Case
) -> None:
    def broken_summary(case: Case, today: object) -> dict[str, object]:
        raise OverflowError("a future bug in a summary rule")

    kind = case_repository.CASE_KIND  # a frozen dataclass: its summary rule is swapped for the bug and back
    original = kind.summary
    object.__setattr__(kind, "summary", broken_summary)
    try:
        profile.sync.apply_remote([_remote(synced, "case_number", "Ä-2026-7", 2, 1_001)], 1_001)
        assert [r.reason for r in profile.sync.quarantined()] == ["unexpected_error"]
        assert profile.sync.retry_quarantined() == 0  # the bug is still there
    finally:
        object.__setattr__(kind, "summary", original)
    assert profile.sync.retry_quarantined() == 1  # fixed: the held change applies at the next sync
    assert profile.cases.load(synced.id).case_number == "Ä-2026-7"
    assert profile.sync.quarantined() == []


def test_a_withdrawn_case_takes_its_changes_set_aside_with_it(profile: Profile, synced: Case) -> None:
    profile.sync.apply_remote([_remote(synced, "application/received_on", FAR, 2, 1_001)], 1_001)
    assert len(profile.sync.quarantined()) == 1
    profile.withdrawals.withdraw([synced.id])
    assert profile.sync.quarantined() == []  # personal data leaves with the case, and nothing brings it back
    assert profile.sync.retry_quarantined() == 0


def test_a_conflict_offering_a_far_date_cannot_be_resolved_into_a_hidden_case(profile: Profile, synced: Case) -> None:
    """The far date meets a local edit: a conflict, not the quarantine. Choosing it would hide the whole case."""
    synced.application.received_on = date(2026, 1, 2)
    profile.cases.save(synced)
    profile.sync.apply_remote([_remote(synced, "application/received_on", FAR, 2, 1_001)], 1_001)
    [conflict] = profile.sync.conflicts()
    assert conflict.server_value == FAR
    with pytest.raises(InvalidRecord):
        profile.sync.resolve_conflict(conflict.conflict_id, FAR)
    assert [c.conflict_id for c in profile.sync.conflicts()] == [conflict.conflict_id]
    assert profile.cases.load(synced.id) == synced
    profile.sync.resolve_conflict(conflict.conflict_id, conflict.local_value)
    assert profile.sync.conflicts() == [] and profile.cases.load(synced.id) == synced
