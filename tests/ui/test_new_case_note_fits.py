"""Ny ärende grows to hold what it says of a known person (s29-look). Choosing Tolvan showed the note that he is known
and of his decisions in force, and the button to open his case, but the dialog kept its height: at 16 and 20 pt the
note was cut mid-sentence ("… Föreslå") and the form's fields were squeezed to slivers under it. The matches list
elides a long line (its whole text the tooltip) instead of scrolling sideways; and Kön shows the person's own, greyed
(it kept the box's first choice, "Kvinna", beside Tolvan's number)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from test_new_case_known_person import _with_dialog
from uihelpers import type_text, unlock, unlock_at


def _squeezed(dialog: Any) -> list[str]:
    """The note and every field of the form that is lower than it needs at its width."""
    note = dialog.known_note
    short = [] if note.height() >= note.heightForWidth(note.width()) else [f"note {note.height()}"]
    for field in (dialog.given_name, dialog.family_name, dialog.personal_number, dialog.sex, dialog.origin,
                  dialog.applicant, dialog.opened_on.edit):
        if field.height() < field.minimumSizeHint().height():
            short.append(f"{field.objectName()} {field.height()} < {field.minimumSizeHint().height()}")
    return short


def test_the_note_of_a_known_person_and_the_form_are_whole_at_16_points(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, demo_window
) -> None:
    unlock_at(qtbot, qapp, demo_window, 16)
    seen: dict[str, Any] = {}

    def act(dialog: Any) -> None:
        type_text(dialog.search, "tolvan")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.matches, Qt.Key.Key_Return)  # the known person chosen
        qtbot.waitUntil(dialog.known_note.isVisible)
        assert "DEMO-2025-0117" in dialog.known_note.text()
        seen["squeezed"] = _squeezed(dialog)
        item = dialog.matches.item(0)
        seen["tooltip"], seen["text"] = item.toolTip(), item.text()
        seen["sideways"] = dialog.matches.horizontalScrollBar().isVisible()
        seen["sex"] = dialog.sex.currentText()

    _with_dialog(qtbot, demo_window, act)
    assert seen["squeezed"] == []
    assert seen["tooltip"] == seen["text"] and not seen["sideways"]
    assert seen["sex"] == "Man"  # Tolvan's Kön as recorded (19121212-1212); it read "Kvinna", greyed


def test_a_known_womans_kon_is_shown_as_recorded(qtbot: Any, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    seen: dict[str, str] = {}

    def act(dialog: Any) -> None:
        dialog.sex.setCurrentIndex(dialog.sex.findText("Man"))
        type_text(dialog.search, "greta")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
        qtbot.keyClick(dialog.matches, Qt.Key.Key_Return)
        seen["number"], seen["sex"] = dialog.personal_number.text(), dialog.sex.currentText()

    _with_dialog(qtbot, demo_window, act)
    assert seen == {"number": "19861123-9883", "sex": "Kvinna"}, seen
