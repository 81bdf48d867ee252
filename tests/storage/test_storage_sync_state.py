"""Sync state: pending entries, push outcomes, pulled changes, conflicts kept not overwritten, cursor, wipe."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from storage_support import TODAY

from ibic.cases import Case
from ibic.document_paths import diff
from storage.errors import PendingChangesExist, ProfileLocked, RecordNotFound
from storage.profile import Profile, profile_exists
from storage.sync_state import PushOutcome, RemoteChange

NEED = "investigation/assessments/d4/need"


def _remote(case: Case, path: str, value: object, version: int, seq: int | None = None, op: str = "set",
            op_id: str | None = None) -> RemoteChange:
    return RemoteChange("case", case.id, path, op, value, version, seq or version, op_id or uuid.uuid4().hex)  # type: ignore[arg-type]


@pytest.fixture
def synced(profile: Profile, demo) -> Case:
    """A case as pulled from the server at version 1, nothing pending."""
    people, cases = demo
    profile.people.save_many(people)
    case = cases[0]
    edits = diff({}, case.model_dump(mode="json"))
    changes = [_remote(case, e.path, e.value, 1, seq=i + 1) for i, e in enumerate(edits)]
    profile.sync.apply_remote(changes, new_cursor=len(changes))
    assert profile.journal.pending_count() == 0
    return case


def test_pulled_fields_build_the_record_and_the_cursor_moves_with_them(profile: Profile, synced: Case) -> None:
    assert profile.cases.load(synced.id) == synced
    assert profile.sync.cursor() > 0
    assert [s.case_id for s in profile.cases.list_summaries(today=TODAY)] == [synced.id]


def test_a_record_arriving_over_two_pages_is_hidden_until_complete(profile: Profile, demo) -> None:
    case = demo[1][1]
    edits = diff({}, case.model_dump(mode="json"))
    half = len(edits) // 2
    first = [_remote(case, e.path, e.value, 1, seq=i + 1) for i, e in enumerate(edits[:half])]
    rest = [_remote(case, e.path, e.value, 1, seq=half + i + 1) for i, e in enumerate(edits[half:])]
    profile.sync.apply_remote(first, new_cursor=half)
    with pytest.raises(RecordNotFound):
        profile.cases.load(case.id)
    assert profile.cases.list_summaries(today=TODAY) == []
    profile.sync.apply_remote(rest, new_cursor=len(edits))
    assert profile.cases.load(case.id) == case


def test_pending_lists_local_edits_oldest_first_with_a_limit(profile: Profile, synced: Case) -> None:
    synced.origin_note = "ett"
    profile.cases.save(synced)
    synced.caseworker = "två"
    profile.cases.save(synced)
    assert [c.path for c in profile.journal.pending()] == ["origin_note", "caseworker"]
    assert [c.path for c in profile.journal.pending(limit=1)] == ["origin_note"]
    assert all(c.base_version == 1 for c in profile.journal.pending())


def test_applied_outcomes_acknowledge_and_move_the_version(profile: Profile, synced: Case) -> None:
    synced.origin_note = "ändrad"
    profile.cases.save(synced)
    change = profile.journal.pending()[0]
    profile.sync.record_push_outcomes([PushOutcome(change.op_id, "applied", new_version=2)])
    assert profile.journal.pending_count() == 0
    synced.origin_note = "ändrad igen"
    profile.cases.save(synced)
    assert profile.journal.pending()[0].base_version == 2


def test_a_version_that_skips_others_changes_is_not_taken_as_seen(profile: Profile, synced: Case) -> None:
    synced.origin_note = "ändrad"
    profile.cases.save(synced)
    change = profile.journal.pending()[0]
    # Someone else's change became version 2 meanwhile; this device has not pulled it yet.
    profile.sync.record_push_outcomes([PushOutcome(change.op_id, "duplicate", new_version=3)])
    synced.caseworker = "Annan"
    profile.cases.save(synced)
    assert profile.journal.pending()[0].base_version == 1


def test_a_conflicting_push_keeps_base_local_and_server_values(profile: Profile, synced: Case) -> None:
    base = synced.investigation.assessments[0].need
    synced.investigation.assessments[0].need = "lokal text"
    profile.cases.save(synced)
    change = profile.journal.pending()[0]
    profile.sync.record_push_outcomes(
        [PushOutcome(change.op_id, "conflict", server_value="serverns text", server_version=4)]
    )
    [conflict] = profile.sync.conflicts()
    assert (conflict.path, conflict.base_value, conflict.local_value, conflict.server_value) == (
        NEED, base, "lokal text", "serverns text"
    )
    assert (conflict.server_version, conflict.case_id, conflict.record_type) == (4, synced.id, "case")
    assert profile.journal.pending_count() == 0  # parked until the user chooses
    assert profile.cases.load(synced.id).investigation.assessments[0].need == "lokal text"
    assert profile.cases.list_summaries(today=TODAY)[0].has_conflict


def test_a_rejected_entry_leaves_the_queue(profile: Profile, synced: Case) -> None:
    synced.origin_note = "x"
    profile.cases.save(synced)
    change = profile.journal.pending()[0]
    profile.sync.record_push_outcomes([PushOutcome(change.op_id, "rejected", reason="not authorised")])
    assert profile.journal.pending_count() == 0


def test_a_pulled_change_to_another_field_applies(profile: Profile, synced: Case) -> None:
    synced.origin_note = "lokal"
    profile.cases.save(synced)
    applied = profile.sync.apply_remote([_remote(synced, "caseworker", "Kollega", 2, seq=100)], new_cursor=100)
    assert applied == 1
    loaded = profile.cases.load(synced.id)
    assert (loaded.caseworker, loaded.origin_note) == ("Kollega", "lokal")
    assert profile.sync.cursor() == 100
    assert profile.journal.pending()[0].path == "origin_note"


def test_a_pulled_change_to_a_field_with_a_pending_edit_becomes_a_conflict(profile: Profile, synced: Case) -> None:
    base = synced.investigation.assessments[0].need
    synced.investigation.assessments[0].need = "lokal"
    profile.cases.save(synced)
    applied = profile.sync.apply_remote([_remote(synced, NEED, "server", 2, seq=100)], new_cursor=100)
    assert applied == 0
    assert profile.cases.load(synced.id).investigation.assessments[0].need == "lokal"
    [conflict] = profile.sync.conflicts()
    assert (conflict.base_value, conflict.local_value, conflict.server_value, conflict.server_version) == (
        base, "lokal", "server", 2
    )
    assert profile.journal.pending_count() == 0
    assert profile.sync.cursor() == 100


def test_a_later_pulled_change_updates_an_open_conflict_when_nothing_is_pending(profile: Profile,
                                                                               synced: Case) -> None:
    """With a conflict open and nothing pending (the page then looks up conflicts only), a newer server value of the
    conflicted field updates the conflict, the local value stays, and the page's other fields apply."""
    synced.investigation.assessments[0].need = "lokal"
    profile.cases.save(synced)
    profile.sync.apply_remote([_remote(synced, NEED, "server", 2, seq=100)], new_cursor=100)
    assert profile.journal.pending_count() == 0
    page = [_remote(synced, NEED, "server igen", 3, seq=101), _remote(synced, "caseworker", "Kollega", 4, seq=102)]
    assert profile.sync.apply_remote(page, new_cursor=102) == 1
    [conflict] = profile.sync.conflicts()
    assert (conflict.local_value, conflict.server_value, conflict.server_version) == ("lokal", "server igen", 3)
    loaded = profile.cases.load(synced.id)
    assert (loaded.investigation.assessments[0].need, loaded.caseworker) == ("lokal", "Kollega")


def test_re_applying_a_page_is_a_no_op(profile: Profile, synced: Case) -> None:
    page = [_remote(synced, "caseworker", "Kollega", 2, seq=100), _remote(synced, "unit", "Enhet 2", 3, seq=101)]
    assert profile.sync.apply_remote(page, new_cursor=101) == 2
    synced.caseworker = "Egen"
    profile.cases.save(synced)
    assert profile.sync.apply_remote(page, new_cursor=101) == 0
    assert profile.cases.load(synced.id).caseworker == "Egen"
    assert profile.sync.conflicts() == []


def test_a_record_that_cannot_be_applied_is_set_aside_and_the_rest_of_the_page_applies(
    profile: Profile, synced: Case
) -> None:
    """Was: the whole page failed and the cursor stayed, so one such record stopped every later pull."""
    bad = RemoteChange("invoice", "x", "a", "set", 1, 9, 200, uuid.uuid4().hex)  # type: ignore[arg-type]
    profile.sync.apply_remote([_remote(synced, "caseworker", "Kollega", 2, seq=199), bad], new_cursor=200)
    assert profile.sync.cursor() == 200
    assert profile.cases.load(synced.id).caseworker == "Kollega"
    assert [(r.record_type, r.record_id, r.reason) for r in profile.sync.quarantined()] == [
        ("invoice", "x", "unexpected_error")]


def test_this_devices_own_change_coming_back_is_acknowledged_not_reapplied(profile: Profile, synced: Case) -> None:
    synced.origin_note = "egen"
    profile.cases.save(synced)
    own = profile.journal.pending()[0]
    # The push answer was lost; the pull shows the change applied as version 2.
    echo = RemoteChange("case", synced.id, own.path, "set", own.value, 2, 300, own.op_id)
    assert profile.sync.apply_remote([echo], new_cursor=300) == 0
    assert profile.journal.pending_count() == 0
    synced.caseworker = "Annan"
    profile.cases.save(synced)
    assert profile.journal.pending()[0].base_version == 2


def test_resolving_a_conflict_journals_the_choice_on_the_server_version(profile: Profile, synced: Case) -> None:
    synced.investigation.assessments[0].need = "lokal"
    profile.cases.save(synced)
    profile.sync.apply_remote([_remote(synced, NEED, "server", 5, seq=100)], new_cursor=100)
    [conflict] = profile.sync.conflicts()
    profile.sync.resolve_conflict(conflict.conflict_id, "sammanfogad text")
    assert profile.sync.conflicts() == []
    [change] = profile.journal.pending()
    assert (change.path, change.value, change.base_version) == (NEED, "sammanfogad text", 5)
    assert profile.cases.load(synced.id).investigation.assessments[0].need == "sammanfogad text"
    with pytest.raises(RecordNotFound):
        profile.sync.resolve_conflict(conflict.conflict_id, "igen")


def test_typing_in_a_field_awaiting_a_choice_updates_the_conflict_not_the_queue(profile: Profile,
                                                                                synced: Case) -> None:
    synced.investigation.assessments[0].need = "lokal"
    profile.cases.save(synced)
    profile.sync.apply_remote([_remote(synced, NEED, "server", 2, seq=100)], new_cursor=100)
    synced.investigation.assessments[0].need = "lokal, fortsatt"
    profile.cases.save(synced)
    assert profile.journal.pending_count() == 0
    assert profile.sync.conflicts()[0].local_value == "lokal, fortsatt"


def test_wipe_refuses_while_unsynced_work_exists(profile: Profile, profile_dir: Path, synced: Case) -> None:
    synced.origin_note = "osynkad"
    profile.cases.save(synced)
    with pytest.raises(PendingChangesExist) as caught:
        profile.sync.wipe()
    assert caught.value.count == 1
    assert profile_exists(profile_dir) and not profile.is_locked


def test_wipe_of_a_lost_device_deletes_everything(profile: Profile, profile_dir: Path, synced: Case) -> None:
    synced.origin_note = "osynkad"
    profile.cases.save(synced)
    profile.backup_now()
    profile.sync.wipe(allow_pending=True)
    assert profile.is_locked
    assert not profile_exists(profile_dir)
    assert [p.name for p in profile_dir.rglob("*")] == []
    with pytest.raises(ProfileLocked):
        profile.cases.load(synced.id)


def test_wipe_deletes_a_restore_mark_and_the_new_mark_a_crash_left(profile: Profile, profile_dir: Path) -> None:
    from storage import restored_mark
    from storage.layout import database_path

    database = database_path(profile_dir)
    restored_mark.put(database)
    for path in restored_mark.files(database)[1:]:  # a crash while the mark took the restored chain's head
        path.write_bytes(b"restored\n")
    profile.sync.wipe(allow_pending=True)
    assert [p.name for p in profile_dir.rglob("*")] == []


def test_a_form_that_has_not_seen_a_pulled_change_does_not_revert_it(profile: Profile, synced: Case) -> None:
    open_in_form = profile.cases.load(synced.id)
    profile.sync.apply_remote([_remote(synced, "caseworker", "Kollega", 2, seq=100)], new_cursor=100)
    open_in_form.origin_note = "skrivet under hembesöket"
    result = profile.cases.save(open_in_form)
    assert result.changed_paths == ("origin_note",)
    stored = profile.cases.load(synced.id)
    assert (stored.caseworker, stored.origin_note) == ("Kollega", "skrivet under hembesöket")
    assert [(c.path, c.base_version) for c in profile.journal.pending()] == [("origin_note", 2)]
    open_in_form.origin_note = "skrivet under hembesöket, mer"
    profile.cases.save(open_in_form)
    assert profile.cases.load(synced.id).caseworker == "Kollega"


def test_a_stale_form_editing_the_pulled_field_gets_a_conflict_not_an_overwrite(profile: Profile,
                                                                                synced: Case) -> None:
    base = synced.investigation.assessments[0].need
    open_in_form = profile.cases.load(synced.id)
    profile.sync.apply_remote([_remote(synced, NEED, "kollegans text", 2, seq=100)], new_cursor=100)
    open_in_form.investigation.assessments[0].need = "min text"
    profile.cases.save(open_in_form)
    assert profile.cases.load(synced.id).investigation.assessments[0].need == "kollegans text"
    assert profile.journal.pending_count() == 0
    [conflict] = profile.sync.conflicts()
    assert (conflict.path, conflict.base_value, conflict.local_value, conflict.server_value) == (
        NEED, base, "min text", "kollegans text"
    )
    assert conflict.server_version == 2
    profile.sync.resolve_conflict(conflict.conflict_id, "min text")
    assert profile.cases.load(synced.id).investigation.assessments[0].need == "min text"
    assert [(c.path, c.value, c.base_version) for c in profile.journal.pending()] == [(NEED, "min text", 2)]


def test_a_stale_form_making_the_same_change_is_no_conflict(profile: Profile, synced: Case) -> None:
    open_in_form = profile.cases.load(synced.id)
    profile.sync.apply_remote([_remote(synced, "caseworker", "Samma", 2, seq=100)], new_cursor=100)
    open_in_form.caseworker = "Samma"
    profile.cases.save(open_in_form)
    assert profile.sync.conflicts() == [] and profile.journal.pending_count() == 0


def test_a_pulled_element_replacing_a_locally_edited_field_keeps_that_field_only(profile: Profile,
                                                                                 synced: Case) -> None:
    synced.investigation.assessments[0].need = "lokal"
    profile.cases.save(synced)
    element = synced.investigation.assessments[0].model_dump(mode="json")
    element.update(need="serverns behov", assessment="serverns bedömning")
    applied = profile.sync.apply_remote(
        [_remote(synced, "investigation/assessments/d4", element, 2, seq=100)], new_cursor=100
    )
    assert applied == 1
    d4 = profile.cases.load(synced.id).investigation.assessments[0]
    assert (d4.assessment, d4.need) == ("serverns bedömning", "lokal")
    [conflict] = profile.sync.conflicts()
    assert (conflict.path, conflict.local_value, conflict.server_value) == (NEED, "lokal", "serverns behov")
