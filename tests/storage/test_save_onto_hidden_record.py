"""An autosave from a form whose record is stored hidden (withdrawn, assigned back and half pulled, or turned
incomplete in place) is refused with a typed error: it never marks the record valid, never queues a field the
person did not change, and never meets a ValidationError. Once the rest has arrived, a form that kept its base
saves the one field typed; a form whose base left with the withdrawal is still refused (its copy predates it)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from storage_support import PASSPHRASE

from ibic.cases import Case
from ibic.document_paths import FieldEdit, diff
from ibic.people import Person
from storage.errors import RecordArriving
from storage.profile import Profile, unlock_profile
from storage.sync_state import RemoteChange


def _changes(record_id: str, edits: list[FieldEdit], version: int, start: int) -> list[RemoteChange]:
    return [RemoteChange("case", record_id, e.path, "set", e.value, version, start + i, uuid.uuid4().hex)
            for i, e in enumerate(edits)]


def _pull(profile: Profile, changes: list[RemoteChange]) -> None:
    """What the pull does with a group of pages: lift a withdrawal of what arrives, then apply."""
    profile.withdrawals.reinstate({(c.record_type, c.record_id) for c in changes})
    profile.sync.apply_remote(changes, new_cursor=changes[-1].seq)


def _valid(profile: Profile, case_id: str) -> int:
    with profile._db.reading() as connection:
        return int(connection.execute("SELECT valid FROM cases WHERE id = ?", (case_id,)).fetchone()[0])


@pytest.fixture
def pulled(profile: Profile, demo: tuple[list[Person], list[Case]]) -> Case:
    """The demo people, and one case pulled whole at version 1, nothing pending."""
    profile.people.save_many(demo[0])
    case = demo[1][0]
    _pull(profile, _changes(case.id, diff({}, case.model_dump(mode="json")), 1, 1))
    assert profile.journal.pending_count() == 0
    return case


def _withdraw_and_half_pull(profile: Profile, case: Case) -> list[RemoteChange]:
    """Withdrawn, assigned back, and the first half of its fields pulled; returns the rest still to come."""
    assert profile.withdrawals.withdraw([case.id]).removed == (case.id,)
    edits = diff({}, case.model_dump(mode="json"))
    half = len(edits) // 2
    _pull(profile, _changes(case.id, edits[:half], 2, 1000))
    assert _valid(profile, case.id) == 0
    return _changes(case.id, edits[half:], 2, 1000 + half)


def test_a_form_saving_a_case_withdrawn_and_half_pulled_is_refused(profile: Profile, pulled: Case) -> None:
    form = profile.cases.load(pulled.id)  # what the open form holds
    rest = _withdraw_and_half_pull(profile, pulled)
    form.origin_note = "Skrivet efter flytten"
    with pytest.raises(RecordArriving):
        profile.cases.save(form)
    assert _valid(profile, pulled.id) == 0  # still hidden
    assert profile.journal.pending_count() == 0  # nothing queued to overwrite the central record
    _pull(profile, rest)
    assert profile.cases.load(pulled.id) == pulled  # the central record as pulled, untouched by the stale form
    with pytest.raises(RecordArriving):
        profile.cases.save(form)  # the form's base left with the withdrawal: its whole copy is stale
    assert profile.journal.pending_count() == 0


def test_a_second_connection_saving_onto_a_record_hidden_under_it_is_refused_then_saves_one_field(
    profile: Profile, profile_dir: Path, pulled: Case
) -> None:
    second = unlock_profile(profile_dir, PASSPHRASE, backup=False)  # a second instance on the same file
    try:
        form = second.cases.load(pulled.id)  # its cache keeps the base: the withdrawal happened elsewhere
        rest = _withdraw_and_half_pull(profile, pulled)
        form.origin_note = "Skrivet i andra fönstret"
        with pytest.raises(RecordArriving):
            second.cases.save(form)
        assert _valid(profile, pulled.id) == 0
        assert second.journal.pending_count() == 0
        _pull(profile, rest)
        second.cases.save(form)  # complete again: the one field typed becomes the one local edit
        assert [c.path for c in second.journal.pending()] == ["origin_note"]
        assert profile.cases.load(pulled.id).origin_note == "Skrivet i andra fönstret"
    finally:
        second.close()


def test_a_record_turned_hidden_in_place_refuses_the_forms_save(profile: Profile, pulled: Case) -> None:
    form = profile.cases.load(pulled.id)
    removal = RemoteChange("case", pulled.id, "case_number", "remove", None, 2, 5000, uuid.uuid4().hex)
    profile.sync.apply_remote([removal], new_cursor=5000)  # a required field gone: incomplete, stored hidden
    assert _valid(profile, pulled.id) == 0
    form.origin_note = "Skrivet medan den var gömd"
    with pytest.raises(RecordArriving):
        profile.cases.save(form)
    assert _valid(profile, pulled.id) == 0 and profile.journal.pending_count() == 0
