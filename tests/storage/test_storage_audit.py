"""The audit log is hash-chained: editing or deleting an entry is detected and located."""

from __future__ import annotations

import pytest

from storage.audit import entry_hash
from storage.profile import Profile


def _record_views(profile: Profile, demo, count: int = 5) -> str:
    people, cases = demo
    profile.people.save(people[0])
    profile.cases.save(cases[0])
    for page in range(count):
        profile.audit.record("view", case_id=cases[0].id, detail=f"livsområde {page}")
    return cases[0].id


def test_views_and_changes_are_recorded_with_who_and_when(profile: Profile, demo) -> None:
    case_id = _record_views(profile, demo, count=2)
    entries = profile.audit.entries()
    assert [e.action for e in entries][-3:] == ["change", "view", "view"]
    view = entries[-1]
    assert (view.user_id, view.device_id, view.case_id) == ("handlaggare1", "device1", case_id)
    assert view.prev_hash == entries[-2].hash
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert profile.audit.entries(since_seq=entries[-2].seq) == [view]
    assert profile.audit.verify().ok


def test_an_edited_entry_is_reported_as_the_first_broken_link(profile: Profile, demo) -> None:
    _record_views(profile, demo)
    with profile._db.transaction() as connection:
        connection.execute("UPDATE audit SET detail = 'ändrad' WHERE seq = 4")
    result = profile.audit.verify()
    assert not result.ok
    assert result.first_broken_seq == 4


def test_an_altered_hash_is_reported_at_its_own_entry(profile: Profile, demo) -> None:
    _record_views(profile, demo)
    with profile._db.transaction() as connection:
        # Flip the first hex digit to a different one, whatever it was (a fixed digit would match 1 time in 16).
        connection.execute(
            "UPDATE audit SET hash = (CASE WHEN substr(hash, 1, 1) = 'f' THEN '0' ELSE 'f' END) || substr(hash, 2)"
            " WHERE seq = 3"
        )
    assert profile.audit.verify().first_broken_seq == 3


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link(profile: Profile, demo) -> None:
    _record_views(profile, demo)
    with profile._db.transaction() as connection:
        prev_hash, entry_id, at, user_id, device_id, action, case_id = connection.execute(
            "SELECT prev_hash, entry_id, at, user_id, device_id, action, case_id FROM audit WHERE seq = 3"
        ).fetchone()
        forged = entry_hash(prev_hash, 3, entry_id, at, user_id, device_id, action, case_id, "ändrad")
        connection.execute("UPDATE audit SET detail = 'ändrad', hash = ? WHERE seq = 3", (forged,))
    assert profile.audit.verify().first_broken_seq == 4


def test_a_deleted_entry_in_the_middle_is_detected(profile: Profile, demo) -> None:
    _record_views(profile, demo)
    with profile._db.transaction() as connection:
        connection.execute("DELETE FROM audit WHERE seq = 3")
    result = profile.audit.verify()
    assert (result.ok, result.first_broken_seq) == (False, 3)


def test_entries_cut_off_the_end_are_detected(profile: Profile, demo) -> None:
    _record_views(profile, demo)
    last = profile.audit.entries()[-1].seq
    with profile._db.transaction() as connection:
        connection.execute("DELETE FROM audit WHERE seq >= ?", (last - 1,))
    result = profile.audit.verify()
    assert (result.ok, result.first_broken_seq) == (False, last - 1)


@pytest.mark.parametrize("alteration", [
    "UPDATE audit SET head_seq = head_seq - 1 WHERE head_seq IS NOT NULL",
    "UPDATE audit SET hash = (CASE WHEN substr(hash, 1, 1) = 'f' THEN '0' ELSE 'f' END) || substr(hash, 2)"
    " WHERE head_seq IS NOT NULL",
    "DELETE FROM audit WHERE head_seq IS NOT NULL",
    # a copy of the newest entry written after the head row: the last row is no head
    "INSERT INTO audit (seq, entry_id, at, user_id, device_id, action, detail, prev_hash, hash)"
    " SELECT (SELECT max(seq) FROM audit) + 1, entry_id, at, user_id, device_id, action, detail, prev_hash, hash"
    " FROM audit WHERE seq = (SELECT max(seq) FROM audit WHERE head_seq IS NULL)",
])
def test_an_altered_head_row_is_detected(profile: Profile, demo, alteration: str) -> None:
    """The chain's head lives in the audit table's head row (migration 0007): editing or deleting it is detected
    as entries cut off the end would be, and the head row is never listed as an entry."""
    _record_views(profile, demo)
    entries = profile.audit.entries()
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert profile.audit.verify().ok
    with profile._db.reading() as connection:  # outside the profile's transaction: no save count moves with it
        connection.execute(alteration)
    result = profile.audit.verify()
    assert not result.ok
    assert profile.audit.entries()[:len(entries)] == entries


@pytest.mark.parametrize("detail", ["personnummer 19121212-1212", "191212121212", "x" * 201])
def test_detail_with_personal_data_or_too_long_is_refused(profile: Profile, detail: str) -> None:
    with pytest.raises(ValueError):
        profile.audit.record("view", detail=detail)
    assert profile.audit.entries() == []


def test_an_action_must_be_a_short_identifier(profile: Profile) -> None:
    with pytest.raises(ValueError):
        profile.audit.record("Tolvan öppnade")
