"""Byt lösenfras (File → Change passphrase…) with new passphrases as a person may type or paste them (s33-probe).

A passphrase copied with its line end (a line chosen in a document) was taken with the line end, which no key in the
unlock field types: after the next lock the profile did not open to the passphrase typed. The same passphrase as the
current one was "changed" without a word. Both are now refused in the dialog, what was typed kept, and the old
passphrase still opens the profile; a passphrase of 10,000 characters or of emoji is taken and opens it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import PASSPHRASE, paste, type_text, unlock

from ui.unlock.change_passphrase import ChangePassphraseDialog


def _change(qtbot: Any, window: Any, new: str, *, pasted: bool) -> dict[str, Any]:
    """Change passphrase… from the menu: the current passphrase typed, ``new`` typed or pasted in both fields, Enter.
    What the dialog says once the change ended or was refused (``closed`` when it was made)."""
    seen: dict[str, Any] = {}

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ChangePassphraseDialog):
            QTimer.singleShot(20, fill_in)  # not shown yet
            return
        type_text(dialog.old, PASSPHRASE)
        for field in (dialog.new, dialog.confirm):
            if pasted:
                paste(qtbot, field, new)
            else:
                type_text(field, new)
        dialog.accepted.connect(lambda: seen.setdefault("closed", True))
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)
        QTimer.singleShot(0, lambda: wait(dialog))

    def wait(dialog: ChangePassphraseDialog) -> None:
        if "closed" in seen:
            return
        if dialog.busy.isVisible():  # the key is re-wrapped on its worker
            QTimer.singleShot(20, lambda: wait(dialog))
            return
        seen.update(said=dialog.error.text(), kept=dialog.new.text() == new and dialog.confirm.text() == new)
        dialog.reject()

    QTimer.singleShot(0, fill_in)
    window.action_passphrase.trigger()  # returns when the dialog has closed
    return seen


def _opens_with(qtbot: Any, window: Any, passphrase: str) -> None:
    window.action_lock.trigger()
    assert window.session is None
    unlock(qtbot, window, passphrase)  # typed key by key, as after any lock


def test_a_new_passphrase_pasted_with_its_line_end_is_refused_and_the_old_one_still_opens(  # type: ignore[no-untyped-def]
    qtbot, demo_window
) -> None:
    unlock(qtbot, demo_window)
    seen = _change(qtbot, demo_window, "tre gröna tallar vid sjön\n", pasted=True)
    assert "closed" not in seen, seen  # on main: changed, and "tre gröna tallar vid sjön" typed did not open it
    assert seen["said"] == ("En lösenfras kan inte innehålla radbrytningar, tabbar eller andra styrtecken: de går"
                            " inte att skriva när du låser upp. Skriv den igen.")
    assert seen["kept"]
    _opens_with(qtbot, demo_window, PASSPHRASE)


def test_the_current_passphrase_as_the_new_one_is_said_to_be_the_same(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    seen = _change(qtbot, demo_window, PASSPHRASE, pasted=False)
    assert "closed" not in seen, seen  # on main: closed as if changed
    assert seen["said"] == "Den nya lösenfrasen är densamma som den nuvarande. Välj en annan."
    assert seen["kept"]


def test_a_passphrase_of_ten_thousand_characters_is_taken_and_opens_the_profile(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    new = "".join(f"{word}-{n} " for n, word in enumerate(["gran", "tall", "björk", "asp", "ek"] * 200))
    new = (new * 3)[:10_000]
    seen = _change(qtbot, demo_window, new, pasted=True)
    assert seen == {"closed": True}, seen
    _opens_with(qtbot, demo_window, new)


def test_a_passphrase_of_emoji_beyond_the_basic_plane_is_taken_and_opens_the_profile(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    new = "🌲🐟🍎🎈🔑🏠🧡🎵🌙🚲🦉🍄"
    seen = _change(qtbot, demo_window, new, pasted=True)
    assert seen == {"closed": True}, seen
    _opens_with(qtbot, demo_window, new)


def test_a_new_profiles_passphrase_pasted_with_its_line_end_is_refused(qtbot, window, profile_dir) -> None:  # type: ignore[no-untyped-def]
    from storage.layout import profile_exists

    panel = window.unlock_panel
    type_text(panel.name_edit, "Maria Svensson")
    paste(qtbot, panel.passphrase_edit, PASSPHRASE + "\n")
    paste(qtbot, panel.confirm_edit, PASSPHRASE + "\n")
    qtbot.keyClick(panel.confirm_edit, Qt.Key.Key_Return)
    assert panel.error.text() == ("En lösenfras kan inte innehålla radbrytningar, tabbar eller andra styrtecken: de"
                                  " går inte att skriva när du låser upp. Skriv den igen.")
    assert panel.passphrase_edit.text() == PASSPHRASE + "\n"
    assert window.session is None and not profile_exists(profile_dir)  # on main: made, and typed it did not open
