"""Ny ärende at 20 pt keeps OK and Avbryt on the screen (s30-look). A new person typed with a personnummer already
known here, and OK: the known person is offered (the note of his decisions in force, the button to open his case)
and a message said under the number. The dialog then needed more height than the screen has: Qt made it as tall
as its least height, OK and Avbryt below the screen's edge, and the fields were squeezed to slivers. What is above
the buttons now scrolls (up and down only), the buttons stay in view and every field keeps its height."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QLineEdit, QScrollArea
from test_new_case_known_person import _with_dialog
from uihelpers import type_text, unlock_at


def _off_screen(dialog: Any) -> list[str]:
    """The dialog beyond the screen's free area, or a button of its OK/Avbryt row outside the dialog or the screen."""
    area = dialog.screen().availableGeometry()
    problems = [] if area.contains(dialog.frameGeometry()) else [f"dialog {dialog.frameGeometry()} on {area}"]
    box = dialog.findChild(QDialogButtonBox, "newCaseButtons")
    for button in box.findChildren(QAbstractButton):
        where = button.rect().translated(button.mapTo(dialog, button.rect().topLeft()))
        on_screen = where.translated(dialog.geometry().topLeft())
        if not button.isVisible() or not dialog.rect().contains(where) or not area.contains(on_screen):
            problems.append(f"{button.text()} at {on_screen}")
    return problems


def test_ok_and_avbryt_stay_on_the_screen_when_a_known_number_is_refused_at_20_points(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, demo_window
) -> None:
    unlock_at(qtbot, qapp, demo_window, 20)
    seen: dict[str, Any] = {}

    def act(dialog: Any) -> None:
        dialog.given_name.setFocus()
        type_text(dialog.given_name, "Tolvan")
        qtbot.keyClick(dialog.given_name, Qt.Key.Key_Tab)
        type_text(dialog.family_name, "Tolvansson")
        dialog.personal_number.setFocus()
        type_text(dialog.personal_number, "19121212-1212")  # a number already known here
        ok = dialog.findChild(QDialogButtonBox, "newCaseButtons").button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # refused: the known person offered, a message said
        qtbot.waitUntil(lambda: dialog.personal_number_error.isVisible() and dialog.known_note.isVisible())

        def look() -> dict[str, Any]:
            return {
                "off": _off_screen(dialog),
                "squeezed": [edit.objectName() for edit in dialog.findChildren(QLineEdit)
                             if edit.isVisible() and edit.height() < edit.minimumSizeHint().height()],
                "sideways": [area.objectName() for area in dialog.findChildren(QScrollArea)
                             if area.horizontalScrollBar().isVisible()],
                "open": dialog.isVisible(),
            }

        def fits() -> None:  # asserted, so a timeout says what does not fit
            seen.update(look())
            assert seen == {"off": [], "squeezed": [], "sideways": [], "open": True}

        qtbot.waitUntil(fits)  # the dialog is laid out anew on the next turns of the event loop

    _with_dialog(qtbot, demo_window, act)
    assert seen == {"off": [], "squeezed": [], "sideways": [], "open": True}
