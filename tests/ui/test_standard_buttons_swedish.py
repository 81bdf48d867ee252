"""Standard buttons in Swedish as docs/glossary.md spells them (session 27): Qt's own translation (qtbase_sv.qm)
says "Ok" where our own buttons and the glossary say "OK", so the Nytt ärende dialog read "Ok"/"Avbryt" beside
dialogs that said "OK"."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDialogButtonBox
from uihelpers import in_modal, unlock


def _buttons_of_dialog(name: str, open_it: Any) -> list[str]:
    """The texts of the buttons in the dialog ``name`` opened by ``open_it`` (modal)."""
    seen: list[str] = []

    def look(dialog: Any) -> None:
        for box in dialog.findChildren(QDialogButtonBox):
            seen.extend(button.text() for button in box.buttons() if button.isVisible())

    in_modal(name, open_it, look)
    return seen


def test_the_new_case_dialog_says_ok_as_the_glossary_spells_it(qtbot: Any, demo_window: Any) -> None:
    unlock(qtbot, demo_window)
    assert sorted(_buttons_of_dialog("newCaseDialog", demo_window.action_new.trigger)) == ["Avbryt", "OK"]


def test_the_settings_dialog_says_ok_as_the_glossary_spells_it(qtbot: Any, demo_window: Any) -> None:
    unlock(qtbot, demo_window)
    assert sorted(_buttons_of_dialog("settingsDialog", demo_window.action_settings.trigger)) == [
        "Avbryt", "OK"]
