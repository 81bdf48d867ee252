"""Pulled entries kept in rows of their own (migration 0008): a pull of another device's edits writes small rows,
not whole documents, and every way the document is read afterwards gives the document the whole rewrite gave (the
changes applied to the stored document): opening the case, a local edit and its reopening, a later pull, the day's
fold, a backup restored, a withdrawal."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from storage_support import PASSPHRASE, flip_byte

from ibic.cases import Case
from ibic.document_paths import FieldEdit, FieldsOf, apply, diff
from ibic.people import Person
from storage.profile import Profile, unlock_profile
from storage.repositories.cases import CASE_KIND
from storage.repositories.documents import from_json_text
from storage.restore import restore_from_backup
from storage.sync_state import PushOutcome, RemoteChange

NEED = "investigation/assessments/d4/need"
OTHER = "chosen_provider"  # a top-level entry outside the summary, for cases without an assessment of d4


def _remote(case_id: str, path: str, value: object, version: int, seq: int, op: str = "set") -> RemoteChange:
    return RemoteChange("case", case_id, path, op, value, version, seq, uuid.uuid4().hex)  # type: ignore[arg-type]


@pytest.fixture
def pulled(profile: Profile, demo: tuple[list[Person], list[Case]]) -> list[Case]:
    """Every demo case pulled whole from the server (version 1), nothing pending."""
    people, cases = demo
    profile.people.save_many(people)
    seq = 0
    for case in cases:
        edits = diff({}, case.model_dump(mode="json"))
        changes = [_remote(case.id, e.path, e.value, 1, seq + i + 1) for i, e in enumerate(edits)]
        seq += len(changes)
        profile.sync.apply_remote(changes, seq)
    return cases


def _entry_rows(profile: Profile) -> list[tuple[str, str]]:
    with profile._db.reading() as connection:
        return [tuple(r) for r in connection.execute("SELECT id, name FROM case_pulled_entries ORDER BY id, name")]


def _text_in_documents(profile: Profile, case_id: str) -> str:
    with profile._db.reading() as connection:
        return str(connection.execute("SELECT document FROM case_documents WHERE id = ?", (case_id,)).fetchone()[0])


def _expected(case: Case, *edits: tuple[str, Any]) -> Case:
    """What the whole rewrite stored: the changes applied to the document."""
    document = case.model_dump(mode="json")
    for path, value in edits:
        document = apply(document, FieldEdit(path, "set", value))
    return Case.model_validate(document)


def _pull_others_edits(profile: Profile, cases: list[Case], start: int = 1000) -> list[Case]:
    """Another device's edits of two entries outside the summary, on every case: the page's usual case."""
    changes, edits, rows = [], [], []
    for index, case in enumerate(cases):
        second = NEED if case.investigation.assessments else OTHER
        changes.append(_remote(case.id, "origin_note", f"Ändrad centralt {index}", 2, start + 2 * index))
        changes.append(_remote(case.id, second, f"Behov centralt {index}", 3, start + 2 * index + 1))
        edits.append((("origin_note", f"Ändrad centralt {index}"), (second, f"Behov centralt {index}")))
        rows += [(case.id, "origin_note"), (case.id, second.split("/")[0])]
    before = {case.id: _text_in_documents(profile, case.id) for case in cases}
    assert profile.sync.apply_remote(changes, start + len(changes)) == len(changes)
    # The documents' text is not rewritten: each changed entry is a row of its own.
    assert {case.id: _text_in_documents(profile, case.id) for case in cases} == before
    assert _entry_rows(profile) == sorted(rows)
    return [_expected(case, *case_edits) for case, case_edits in zip(cases, edits, strict=True)]


def test_a_pulled_change_then_opening_and_reopening_gives_the_rewritten_document(profile: Profile,
                                                                                 profile_dir: Path,
                                                                                 pulled: list[Case]) -> None:
    expected = _pull_others_edits(profile, pulled)
    assert [profile.cases.load(c.id) for c in pulled] == expected
    profile.lock()
    reopened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        assert [reopened.cases.load(c.id) for c in pulled] == expected
        summaries = {s.case_id: s for s in reopened.cases.list_summaries()}
        for case in expected:  # the list's columns as the case itself gives them
            assert summaries[case.id].case_number == case.case_number
            assert summaries[case.id].status == case.status
    finally:
        reopened.lock()


def test_a_pulled_change_then_a_local_edit_folds_it_in_and_the_edit_wins_after_reopening(
    profile: Profile, profile_dir: Path, pulled: list[Case]
) -> None:
    expected = _pull_others_edits(profile, pulled)
    case = profile.cases.load(pulled[0].id)
    case.origin_note = "Skriven här"  # the same entry the pull changed: the whole save
    profile.cases.save(case)
    want = expected[0].model_copy(update={"origin_note": "Skriven här"})
    # The save wrote the folded document: the case's pulled rows are gone, the others' stay.
    assert from_json_text(_text_in_documents(profile, case.id)) == want.model_dump(mode="json")
    assert [row for row in _entry_rows(profile) if row[0] == case.id] == []
    assert len(_entry_rows(profile)) == 2 * (len(pulled) - 1)
    assert [(e.path, e.value) for e in profile.journal.pending(limit=10)] == [("origin_note", "Skriven här")]
    profile.lock()
    reopened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        assert reopened.cases.load(case.id) == want
        assert [reopened.cases.load(c.id) for c in pulled[1:]] == expected[1:]
    finally:
        reopened.lock()


def test_a_keystroke_save_after_a_pull_writes_the_folded_document_and_drops_its_rows(
    profile: Profile, profile_dir: Path, pulled: list[Case]
) -> None:
    """The autosave's own path (the edited fields known, no whole diff): its base is the folded document, and the
    pulled rows go, or the pulled investigation (an older copy of it) would hide the edit at the next reopening."""
    expected = _pull_others_edits(profile, pulled)[0]
    case = profile.cases.load(pulled[0].id)
    area = case.investigation.assessment_for("d4")
    area.own_description = "Skrivet här"
    statements: list[str] = []
    with profile._db.reading() as connection:
        connection.set_trace_callback(statements.append)
    try:
        profile.cases.save(case, [FieldsOf(area, frozenset({"own_description"}))])
    finally:
        with profile._db.reading() as connection:
            connection.set_trace_callback(None)
    assert not any(s.startswith("SELECT v.version, t.valid, v.updated_at") for s in statements), "not the quick save"
    want = expected.model_copy(deep=True)
    want.investigation.assessment_for("d4").own_description = "Skrivet här"
    assert from_json_text(_text_in_documents(profile, case.id)) == want.model_dump(mode="json")
    assert [row for row in _entry_rows(profile) if row[0] == case.id] == []
    profile.lock()
    reopened = unlock_profile(profile_dir, PASSPHRASE)
    try:
        assert reopened.cases.load(case.id) == want
    finally:
        reopened.lock()


def test_a_pulled_record_written_whole_with_its_own_change_echoed_folds_its_rows(profile: Profile,
                                                                                 pulled: list[Case]) -> None:
    """A page with this device's own change coming back reads the record whole (folded) and writes its document:
    the rows go, their values stay."""
    case = profile.cases.load(pulled[0].id)
    case.caseworker = "Jag, lokalt"
    profile.cases.save(case)
    [own] = profile.journal.pending(limit=10)
    profile.sync.record_push_outcomes([PushOutcome(own.op_id, "applied", new_version=2)])
    profile.sync.apply_remote([_remote(case.id, "origin_note", "Ändrad centralt", 3, 4000)], 4000)
    assert _entry_rows(profile) == [(case.id, "origin_note")]
    echoed = RemoteChange("case", case.id, "caseworker", "set", "Jag, lokalt", 2, 4001, own.op_id)
    profile.sync.apply_remote([echoed, _remote(case.id, "chosen_provider", "Utförare centralt", 4, 4002)], 4002)
    want = _expected(pulled[0], ("caseworker", "Jag, lokalt"), ("origin_note", "Ändrad centralt"),
                     ("chosen_provider", "Utförare centralt"))
    assert _entry_rows(profile) == []
    assert from_json_text(_text_in_documents(profile, case.id)) == want.model_dump(mode="json")
    assert profile.cases.load(case.id) == want
    assert profile.journal.pending_count() == 0


def test_a_second_pull_of_the_same_entry_and_a_whole_rewrite_keep_the_newest(profile: Profile,
                                                                              pulled: list[Case]) -> None:
    case = pulled[0]
    _pull_others_edits(profile, [case])
    profile.sync.apply_remote([_remote(case.id, "origin_note", "Andra gången", 4, 2000)], 2000)
    assert _entry_rows(profile) == [(case.id, "investigation"), (case.id, "origin_note")]
    assert profile.cases.load(case.id).origin_note == "Andra gången"
    # A summary field changed: the record is read and written whole, its pulled rows folded in on the way.
    profile.sync.apply_remote([_remote(case.id, "case_number", "Ä-2026-777", 5, 2001)], 2001)
    want = _expected(case, ("origin_note", "Andra gången"), (NEED, "Behov centralt 0"), ("case_number", "Ä-2026-777"))
    assert _entry_rows(profile) == []
    assert from_json_text(_text_in_documents(profile, case.id)) == want.model_dump(mode="json")
    assert profile.cases.load(case.id) == want
    assert profile.cases.list_summaries(text="Ä-2026-777")[0].case_id == case.id


def test_a_pending_local_edit_meets_a_pulled_change_as_before(profile: Profile, pulled: list[Case]) -> None:
    """A record with its pulled entries in rows: a pending local edit of another field, then the server's change of
    that field, is a conflict with the local value kept; the entries pulled earlier stay in the document."""
    expected = _pull_others_edits(profile, pulled[:1])[0]
    case = profile.cases.load(pulled[0].id)
    case.caseworker = "Jag, lokalt"
    profile.cases.save(case)
    profile.sync.apply_remote([_remote(case.id, "caseworker", "Kollega centralt", 4, 3000)], 3000)
    [conflict] = profile.sync.conflicts()
    assert (conflict.path, conflict.local_value, conflict.server_value) == ("caseworker", "Jag, lokalt",
                                                                            "Kollega centralt")
    assert profile.cases.load(case.id) == expected.model_copy(update={"caseworker": "Jag, lokalt"})


def test_the_days_fold_writes_the_same_documents_and_moves_no_stamp(profile: Profile, pulled: list[Case]) -> None:
    expected = _pull_others_edits(profile, pulled)
    with profile._db.reading() as connection:
        stamps = connection.execute("SELECT id, version, updated_at FROM case_versions ORDER BY id").fetchall()
    assert profile.sync.fold_pulled_entries(batch=2) == len(pulled)
    assert _entry_rows(profile) == []
    assert [from_json_text(_text_in_documents(profile, c.id)) for c in pulled] == [
        c.model_dump(mode="json") for c in expected]
    with profile._db.reading() as connection:
        assert connection.execute("SELECT id, version, updated_at FROM case_versions ORDER BY id").fetchall() == stamps
    assert profile.sync.fold_pulled_entries() == 0
    assert profile.audit.verify().ok


def test_a_backup_taken_after_a_pull_restores_the_pulled_document(profile: Profile, profile_dir: Path,
                                                                  pulled: list[Case]) -> None:
    expected = _pull_others_edits(profile, pulled)
    assert profile.backup_now() is not None
    profile.lock()
    flip_byte(profile_dir / "profile.db", 4096 * 2 + 100)
    restore_from_backup(profile_dir, PASSPHRASE)
    restored = unlock_profile(profile_dir, PASSPHRASE)
    try:
        restored.check_integrity()
        assert [restored.cases.load(c.id) for c in pulled] == expected
        assert restored.audit.verify().ok
    finally:
        restored.lock()


def test_a_withdrawal_after_a_pull_takes_the_pulled_rows_along(profile: Profile, pulled: list[Case]) -> None:
    _pull_others_edits(profile, pulled)
    case = pulled[0]
    assert case.id in profile.withdrawals.withdraw([case.id]).removed
    assert [row for row in _entry_rows(profile) if row[0] == case.id] == []
    assert len(_entry_rows(profile)) == 2 * (len(pulled) - 1)
    with profile._db.reading() as connection:
        assert connection.execute(f"SELECT {CASE_KIND.pulled_entries('d')} FROM (SELECT ? AS id) AS d",
                                  (case.id,)).fetchone()[0] == "{}"
