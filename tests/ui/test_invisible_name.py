"""A name of only invisible characters (a zero-width space, a joiner, combining accents alone) is blank: the new-case
dialog refuses it as it refuses an empty name, and keeps what was typed. Before, it made a case for a person whose
name showed and printed as nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from uihelpers import type_text


@pytest.mark.parametrize("invisible", ["\u200b", "\u0301\u200d", " \u2060 "])
def test_an_invisible_given_name_is_refused(qtbot, new_case_dialog, invisible: str) -> None:  # type: ignore[no-untyped-def]
    dialog = new_case_dialog
    type_text(dialog.given_name, invisible)
    type_text(dialog.family_name, "Tolvansson")
    type_text(dialog.personal_number, "191212121212")
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result_case is None
    assert "Ange både förnamn och efternamn" in dialog.name_error.text()
    assert dialog.family_name.text() == "Tolvansson" and dialog.personal_number.text() == "191212121212"
