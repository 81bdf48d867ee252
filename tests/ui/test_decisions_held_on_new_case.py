"""Seed 001: "Uppföljning sker efter att en större förändring skett, t ex i samband med sjukhusvistelse". A new case
(here from a hospital, before discharge) for a person with decisions in force in another case names them in Ny
ärende and in the work list, and proposes their follow-up; nothing is changed by it (the handläggare decides)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_new_case_known_person import _with_dialog
from test_work_list_on_screen import _rows
from uihelpers import type_text, unlock

HELD = "Den enskilde har beslut som gäller: hemtjänst – omvårdnad (ärende DEMO-2025-0117)"


def _start_hospital_case(qtbot, demo_window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    said: dict[str, str] = {}

    def act(dialog) -> None:  # type: ignore[no-untyped-def]
        type_text(dialog.search, "tolvan")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.matches, Qt.Key.Key_Return)  # the known person chosen
        said["note"] = dialog.known_note.text()
        dialog.origin.setFocus()
        while dialog.origin.currentText() != "Sjukhus/utskrivning":
            qtbot.keyClick(dialog.origin, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.origin, Qt.Key.Key_Return)  # OK

    _with_dialog(qtbot, demo_window, act)
    return said


def test_a_hospital_case_for_a_person_with_decisions_in_force_names_them_and_proposes_a_follow_up(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    unlock(qtbot, demo_window)
    profile = demo_window.session.profile
    held_case = next(s.case_id for s in demo_window.session.summaries() if s.case_number == "DEMO-2025-0117")
    before = profile.cases.load(held_case)
    said = _start_hospital_case(qtbot, demo_window)
    assert HELD in said["note"] and "Föreslå en uppföljning av dem" in said["note"], said["note"]
    new = demo_window.workspace.opened.case
    assert new.origin.value == "hospital"
    demo_window.action_work.trigger()  # Att göra (Ctrl+T; offscreen a key to the window after a modal dialog is lost)
    rows = [r for r in _rows(demo_window.case_list.work) if r[2] == new.case_number]
    assert [r[1] for r in rows] == ["beslut som gäller"], rows
    assert HELD in rows[0][4] and "du avgör" in rows[0][4]
    assert profile.cases.load(held_case) == before, "nothing changed in the case holding the decisions"


def test_a_new_case_for_a_person_with_no_decision_in_force_says_nothing_of_one(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    said: dict[str, str] = {}

    def act(dialog) -> None:  # type: ignore[no-untyped-def]
        type_text(dialog.search, "greta")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.matches, Qt.Key.Key_Return)
        said["note"] = dialog.known_note.text()
        qtbot.keyClick(dialog.origin, Qt.Key.Key_Return)

    _with_dialog(qtbot, demo_window, act)
    assert "Greta" in said["note"] and "beslut som gäller" not in said["note"]
    new = demo_window.workspace.opened.case
    demo_window.action_work.trigger()
    assert new.case_number in list(demo_window.case_list.model.columns().case_numbers), "listed"
    assert not [r for r in _rows(demo_window.case_list.work) if r[2] == new.case_number and "beslut som" in r[1]]
