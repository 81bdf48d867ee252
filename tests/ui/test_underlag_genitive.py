"""The request for underlag names the person in the Swedish genitive: a name ending in s, x or z takes no extra s
("Tolvan Fors situation", not "Tolvan Forss situation"); other names take one ("Tolvanssons")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import type_text, unlock


@pytest.mark.parametrize(("family_name", "written"), [("Fors", "Tolvan Fors situation"),
                                                      ("Marx", "Tolvan Marx situation"),
                                                      ("Ruiz", "Tolvan Ruiz situation"),
                                                      ("Forsberg", "Tolvan Forsbergs situation")])
def test_the_request_names_the_person_in_the_genitive(qtbot, demo_window, family_name, written):  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_id = next(s.case_id for s in demo_window.session.summaries() if s.case_number == "DEMO-2025-0117")
    demo_window.open_case(case_id)
    person = demo_window.workspace.case_page.person
    person.family_name.clear()
    type_text(person.family_name, family_name)
    demo_window.workspace.go_to("follow_up")
    seen: dict[str, str] = {}

    def read_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        seen["message"] = dialog.message.toPlainText()
        dialog.reject()

    QTimer.singleShot(0, read_dialog)
    qtbot.keyClick(demo_window.workspace.follow_up_page.underlag_button, Qt.Key.Key_Space)
    assert f"information kring {written} som ni vill förmedla" in seen["message"]
