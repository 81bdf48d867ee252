"""The request for underlag, open and adapted when the idle lock comes, is open again after the unlock with the text
as it was (s25-probe).

Seed 002's model message "behöver anpassas efter vilka frågor som finns i aktuellt ärende": the handläggare writes
into it before copying it. The lock closes every dialog (nothing personal stays on screen); on main the written
text was gone after the unlock, and the request had to be adapted again from the model. Reached as a person does:
the follow-up step, the request's button, typing, the idle lock, the passphrase.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import follow_up_step, type_text, unlock, walk_texts

from ui.workspace.underlag_dialog import UnderlagDialog

NUMBER = "DEMO-2025-0117"
ADDED = "Berätta också om kvällsbesöken i oktober."


def _when_open(action) -> None:  # type: ignore[no-untyped-def]
    dialog = QApplication.activeModalWidget()
    if not isinstance(dialog, UnderlagDialog):
        QTimer.singleShot(20, lambda: _when_open(action))
        return
    action(dialog)


def test_the_adapted_request_is_open_again_after_the_idle_lock(qtbot, demo_window):  # type: ignore[no-untyped-def]
    window = demo_window
    page = follow_up_step(qtbot, window, NUMBER)
    follow_up_id = page.shown_id
    typed: list[str] = []

    def adapt_then_walk_away(dialog: UnderlagDialog) -> None:
        qtbot.keyClick(dialog.full_number, Qt.Key.Key_Space)
        dialog.message.setFocus()
        qtbot.keyClick(dialog.message, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        type_text(dialog.message, "\n" + ADDED)
        typed.append(dialog.message.toPlainText())
        window.idle.set_interval_ms(0)
        window.idle.start()

    QTimer.singleShot(0, lambda: _when_open(adapt_then_walk_away))
    with qtbot.waitSignal(window.locked, timeout=10_000):
        qtbot.keyClick(page.underlag_button, Qt.Key.Key_Space)
    assert typed and ADDED in typed[0] and "19121212-1212" in typed[0]
    shown = " ".join(walk_texts(window))
    assert ADDED not in shown and "1212" not in shown, "nothing of it while locked"
    assert not [d for d in window.findChildren(UnderlagDialog) if d.isVisible()]

    reopened: list[tuple[str, bool, str]] = []

    def read_and_close(dialog: UnderlagDialog) -> None:
        reopened.append((dialog.follow_up_id, dialog.full_number.isChecked(), dialog.message.toPlainText()))
        dialog.reject()

    QTimer.singleShot(0, lambda: _when_open(read_and_close))
    unlock(qtbot, window)
    qtbot.waitUntil(lambda: bool(reopened), timeout=10_000)  # on main: never opened again
    assert reopened == [(follow_up_id, True, typed[0])]
    assert window.workspace.follow_up_page.shown_id == follow_up_id
