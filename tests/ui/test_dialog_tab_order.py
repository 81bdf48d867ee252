"""Issue 12 finding 2 for dialogs: every dialog the menus open (found by walking the menu bar, so a new one is
covered without editing this test) is walked with Tab, key by key on the focused widget, once round; each next focus
must be at or below, or on the same row right of, the previous one: the order a person reads the dialog in."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from entry_points import dialog_kind, open_modal
from PySide6.QtCore import QPoint, Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMenu, QWidget
from test_keyboard_only import give_back_activation, press, write
from uihelpers import PASSPHRASE

from ui.common.widgets import reading_order

TAB_LIMIT = 400  # more presses than any dialog needs for one round (the licence list's links included)
SAME_ROW_PX = 6  # as the page test: controls on one row may differ a few pixels in their tops
LEAVES_THE_STATE = ("Ctrl+L", "Ctrl+Q", "Ctrl+E", "Ctrl+T")  # the last two open no dialog: they leave the case


def _menu_actions(window: Any) -> list[QAction]:
    found: list[QAction] = []
    menus = [a.menu() for a in window.menuBar().actions() if isinstance(a.menu(), QMenu)]
    while menus:
        menu = menus.pop(0)
        for action in menu.actions():
            if isinstance(action.menu(), QMenu):
                menus.append(action.menu())
            elif not action.isSeparator() and action.shortcut().toString() not in LEAVES_THE_STATE:
                found.append(action)
    return found


def _position(widget: QWidget, dialog: QWidget) -> tuple[int, int]:
    point = widget.mapTo(dialog, QPoint(0, 0))
    return point.y(), point.x()


def _name(widget: QWidget) -> str:
    return widget.objectName() or widget.accessibleName() or type(widget).__name__


def _walk(dialog: QDialog) -> list[str]:
    """Tab once round the dialog; the places where the order goes back up or left."""
    QThreadPool.globalInstance().waitForDone(30_000)  # the preview renders off the UI thread first
    QApplication.processEvents()
    cycle: list[QWidget] = []
    for _ in range(TAB_LIMIT):
        focus = QApplication.focusWidget()
        if focus is None or not dialog.isAncestorOf(focus) or (focus in cycle and focus is not cycle[-1]):
            break
        if not cycle or focus is not cycle[-1]:  # Tab may stay in one widget a while (a text's links)
            cycle.append(focus)
        QTest.keyClick(focus, Qt.Key.Key_Tab)
    if not cycle:
        return [f"{dialog_kind(dialog)}: nothing has focus"]
    missed = [_name(w) for w in reading_order(dialog) if not any(w is c or w.isAncestorOf(c) for c in cycle)]
    if missed:
        return [f"{dialog_kind(dialog)}: Tab never reaches {', '.join(missed)}"]
    start = min(range(len(cycle)), key=lambda i: _position(cycle[i], dialog))
    ordered = cycle[start:] + cycle[:start]  # one round, begun at the top left: the wrap is not a fault
    problems = []
    for before, after in pairwise(ordered):
        (top_a, left_a), (top_b, left_b) = _position(before, dialog), _position(after, dialog)
        same_row = abs(top_b - top_a) < SAME_ROW_PX
        if (same_row and left_b < left_a) or (not same_row and top_b < top_a):
            problems.append(f"{dialog_kind(dialog)}: {_name(before)} → {_name(after)}")
    return problems


def _open_and_walk(qtbot: Any, window: Any, action: QAction, walked: dict[str, list[str]]) -> None:
    def poll() -> None:
        dialog = open_modal()
        if dialog is None:
            if action_running:
                QTimer.singleShot(10, poll)
            return
        try:
            if (isinstance(dialog, QDialog) and not isinstance(dialog, QFileDialog | QPrintDialog)
                    and dialog_kind(dialog) not in walked):
                qtbot.waitUntil(dialog.isActiveWindow)
                walked[dialog_kind(dialog)] = _walk(dialog)
        finally:
            while (inner := open_modal()) is not None:
                inner.close() if not isinstance(inner, QDialog) else inner.reject()

    action_running = True
    QTimer.singleShot(0, poll)
    action.trigger()  # a modal dialog's exec() returns when poll has closed it
    action_running = False
    QApplication.processEvents()
    give_back_activation(qtbot, window)


def test_tab_follows_reading_order_in_every_dialog_the_menus_open(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    give_back_activation(qtbot, window)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        write(PASSPHRASE)
        press(Qt.Key.Key_Return)
    write("tolvan")
    press(Qt.Key.Key_Return)  # a case open, so the case's menu entries (the preview) are enabled too
    walked: dict[str, list[str]] = {}
    for action in _menu_actions(window):
        if action.isEnabled():
            _open_and_walk(qtbot, window, action, walked)
    for kind in ("settingsDialog", "newCaseDialog", "shortcutsDialog", "aboutDialog", "utredningPreviewDialog"):
        assert kind in walked, f"{kind} was not opened from the menus: {sorted(walked)}"
    assert [problem for problems in walked.values() for problem in problems] == []
