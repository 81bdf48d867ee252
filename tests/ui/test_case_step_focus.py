"""Ctrl+1 puts the focus in the Ärendet step, and a status changed with the keyboard keeps it there. The step's
status buttons are made anew on every load; the old ones, waiting for deletion, still stood first in reading order:
Ctrl+1 focused one of them, which was then deleted, and nothing had focus (the next key went nowhere). On main."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from test_sub_areas import _keys, _open_case, _tab_to
from uihelpers import close_chosen, unlock, when_shown


def _after_the_event_loop_ran() -> None:
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()


def test_ctrl_1_leaves_the_focus_on_a_field_of_the_case_step(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0001")
    for keys in ("Ctrl+1", "Ctrl+2", "Ctrl+1"):  # from the navigator, and back from another step
        _keys(keys)
        _after_the_event_loop_ran()
        focus = QApplication.focusWidget()
        assert focus is not None, f"nothing has focus after {keys}"
        assert workspace.pages.currentWidget().isAncestorOf(focus)


def test_a_status_changed_by_keyboard_keeps_the_focus_on_the_page(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open_case(qtbot, demo_window, "DEMO-2026-0002")  # a case under investigation
    _keys("Ctrl+1")
    _after_the_event_loop_ran()
    page = workspace.case_page
    [button] = [b for b in page.findChildren(QPushButton, "status_closed") if b.isVisible()]
    _tab_to(button)
    when_shown("closeCaseQuestion", close_chosen)  # the question first (s30-followdoc), answered Avsluta ärendet
    QTest.keyClick(button, Qt.Key.Key_Space)  # Ändra till: Avslutat
    _after_the_event_loop_ran()
    demo_window.activateWindow()  # as the window manager does once the question is gone (offscreen does not)
    qtbot.waitUntil(demo_window.isActiveWindow)
    focus = QApplication.focusWidget()
    assert focus is not None, "nothing has focus after the status change"
    assert page.isAncestorOf(focus)
