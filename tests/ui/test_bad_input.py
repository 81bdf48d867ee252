"""Bad input in each form: a Swedish message next to the field, the other fields keep their text."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from uihelpers import type_text, unlock


@pytest.fixture
def dialog(new_case_dialog):  # type: ignore[no-untyped-def]
    return new_case_dialog


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("19121212-1213", "Kontrollsiffran stämmer inte"),
        ("19121312-1212", "Födelsedatumet i numret finns inte"),
        ("1912-12", "Skriv numret som"),
        # Written as asked, so "Skriv numret som ÅÅÅÅMMDD-NNNN" told nothing (s32-probe): the serial 000 is the fault.
        ("19000101-0008", "Födelsenumret 000 delas aldrig ut"),
        # A date that exists, born after today: it was told the date "does not exist" (s32-probe).
        ("20991231-1231", "Födelsedatumet i numret ligger efter i dag eller före 1900-01-01"),
        ("", "Ange ett personnummer"),
    ],
)
def test_new_case_with_bad_personal_number_shows_why_and_keeps_the_names(qtbot, dialog, number, message):  # type: ignore[no-untyped-def]
    type_text(dialog.given_name, "Tolvan")
    type_text(dialog.family_name, "Tolvansson")
    type_text(dialog.personal_number, number)
    qtbot.keyClick(dialog.given_name, Qt.Key.Key_Return)
    assert dialog.isVisible(), "the dialog stays open"
    assert message in dialog.personal_number_error.text()
    assert dialog.personal_number_error.isVisible()
    assert dialog.given_name.text() == "Tolvan" and dialog.family_name.text() == "Tolvansson"
    assert dialog.personal_number.text() == number
    assert dialog.result_case is None


def test_new_case_with_impossible_date_is_refused(qtbot, dialog):  # type: ignore[no-untyped-def]
    type_text(dialog.given_name, "Tolvan")
    type_text(dialog.family_name, "Tolvansson")
    type_text(dialog.personal_number, "191212121212")
    dialog.opened_on.edit.clear()
    type_text(dialog.opened_on.edit, "2026-02-30")
    assert "Datumet finns inte" in dialog.opened_on.error.text()
    qtbot.keyClick(dialog.given_name, Qt.Key.Key_Return)
    assert dialog.result_case is None
    assert dialog.opened_on.edit.text() == "2026-02-30"
    assert dialog.personal_number.text() == "191212121212"


def _open_case(qtbot, window, number: str):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    summaries = window.session.summaries()
    case_id = next(s.case_id for s in summaries if s.case_number == number)
    window.open_case(case_id)
    return window.workspace


def test_proposal_end_before_start_is_refused_and_other_text_kept(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    workspace.go_to("proposal")
    editor = workspace.proposal_page.editors[0]
    type_text(editor.motivation, "motivering som ska finnas kvar")
    type_text(editor.starts_on.edit, "2026-12-01")
    type_text(editor.ends_on.edit, "2026-11-01")
    assert "Slutdatumet ligger före startdatumet" in editor.ends_on.error.text()
    assert editor.ends_on.edit.text() == "2026-11-01"
    proposal = workspace.opened.case.proposals[0]
    assert proposal.ends_on is None, "the refused date never reaches the model"
    assert proposal.starts_on == date(2026, 12, 1)
    assert "motivering som ska finnas kvar" in proposal.motivation
    type_text(editor.amount, "åtta")
    assert "Skriv omfattningen som ett tal" in editor.amount_error.text()


def test_person_with_bad_personal_number_keeps_the_stored_one(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    section = workspace.case_page.person
    section.personal_number.clear()
    type_text(section.personal_number, "19121212-1219")
    type_text(section.phone, "070")
    assert "Kontrollsiffran" in section.personal_number_error.text()
    assert workspace.opened.person.personal_number == "191212121212"
    assert workspace.opened.person.phone.endswith("070")


def test_visit_without_date_is_refused(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0002")
    workspace.go_to("visit")
    page = workspace.visit_page
    before = len(workspace.opened.case.investigation.visits)
    page.visit_date.edit.clear()
    type_text(page.participants, "Någon – roll")
    qtbot.keyClick(page.visits.add_button, Qt.Key.Key_Space)
    assert "Ange besöksdatum" in page.visits.error.text()
    assert len(workspace.opened.case.investigation.visits) == before
    assert page.participants.toPlainText() == "Någon – roll"


def test_wrong_passphrase_says_so_in_swedish(qtbot, demo_window):  # type: ignore[no-untyped-def]
    panel = demo_window.unlock_panel
    type_text(panel.passphrase_edit, "fel lösenfras här")
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=20_000)
    assert "Fel lösenfras" in panel.error.text()
    assert demo_window.session is None


def test_new_profile_with_weak_or_mismatched_passphrase_is_refused(qtbot, window):  # type: ignore[no-untyped-def]
    panel = window.unlock_panel
    type_text(panel.name_edit, "Handläggare Test")
    type_text(panel.passphrase_edit, "kort")
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    assert "Minst" in panel.error.text()
    panel.passphrase_edit.clear()
    type_text(panel.passphrase_edit, "blåbär-kanot-fjäll-lykta")
    type_text(panel.confirm_edit, "blåbär-kanot-fjäll-lyktx")
    qtbot.keyClick(panel.confirm_edit, Qt.Key.Key_Return)
    assert "inte likadana" in panel.error.text()
    assert panel.name_edit.text() == "Handläggare Test"
    assert window.session is None


def test_disk_full_keeps_the_text_says_so_and_retries(qtbot, demo_window, monkeypatch):  # type: ignore[no-untyped-def]
    from storage.errors import DiskFull

    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0002")
    workspace.go_to("areas", "d5")
    real_save = workspace.session.save
    monkeypatch.setattr(workspace.session, "save", lambda *_: (_ for _ in ()).throw(DiskFull()))
    type_text(workspace.area_form.own, "text som inte får försvinna")
    assert workspace.save_now() is False
    assert "Disken är full" in demo_window.statusBar().currentMessage()
    assert demo_window.save_indicator.text() == "Inte sparat"
    assert workspace.has_unsaved_changes
    assert "text som inte får försvinna" in workspace.area_form.own.toPlainText()
    monkeypatch.setattr(workspace.session, "save", real_save)
    with qtbot.waitSignal(workspace.saved, timeout=3_000):
        pass  # the retry timer stores it once the disk has room again
    assert not workspace.has_unsaved_changes


def test_a_half_typed_date_says_so_when_the_field_is_left(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    field = workspace.case_page.received_on
    field.edit.clear()
    type_text(field.edit, "2026-02")
    assert field.error.text() == ""
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)  # editing finished
    assert "inte komplett" in field.error.text()
    assert field.edit.text() == "2026-02"


def test_unchecking_discharge_planning_stops_the_hospital_clocks(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0002")
    workspace.go_to("visit")
    box = workspace.visit_page.discharge_box
    assert box.isChecked() and workspace.opened.case.discharge is not None
    box.setChecked(False)
    assert workspace.opened.case.discharge is None
    box.setChecked(True)
    assert workspace.opened.case.discharge is not None
    assert workspace.opened.case.discharge.hospital_ward == "Avdelning 12, Demosjukhuset"


def test_a_very_long_text_is_never_cut(qtbot, demo_window):  # type: ignore[no-untyped-def]
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0002")
    workspace.go_to("areas", "d5")
    text = "Lång beskrivning. " * 6_000  # 108,000 characters
    workspace.area_form.own.setPlainText(text)
    assert workspace.save_now()
    stored = workspace.session.profile.cases.load(workspace.opened.case.id)
    assert stored.investigation.assessment_for("d5").own_description == text


def test_opening_a_case_that_is_gone_says_so_and_shows_the_list(qtbot, demo_window):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    demo_window.open_case("0" * 32)
    assert "Ärendet finns inte på den här datorn" in demo_window.statusBar().currentMessage()
    assert demo_window.workspace is None
    assert demo_window.stack.currentWidget() is demo_window.case_list
