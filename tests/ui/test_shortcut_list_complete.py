"""Hjälp › Kortkommandon (F1) against the keys the code binds (s30-keys), and no key bound twice where it works.

The list read the menu bar only: Alt+N (Ej aktuellt, on Kartläggning's life area) and the preview's own keys (PgUp,
PgDown, Ctrl++, Ctrl+-, Ctrl+P, Ctrl+S) were bound and never listed. Here every QShortcut found in the window with
a case on step 3 and in the preview opened by Ctrl+P (by walking the widgets, not from the list's own source) must
be in the list F1 opens; and no two of the keys that work at one moment (the window's enabled actions and its
visible page's shortcuts; the preview's) are the same sequence, which makes Qt fire neither ("Ambiguous shortcut")."""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from uihelpers import unlock

from ui.printing.preview import UtredningPreviewDialog
from ui.shortcuts_dialog import ShortcutsDialog

NATIVE = QKeySequence.SequenceFormat.NativeText


def _working_keys(root: QWidget) -> list[str]:
    """The key sequences that fire in ``root`` now: its enabled actions' and its visible widgets' shortcuts."""
    keys = [a.shortcut().toString(NATIVE) for a in root.findChildren(QAction)
            if a.isEnabled() and a.isVisible() and not a.shortcut().isEmpty()]
    keys += [s.key().toString(NATIVE) for s in root.findChildren(QShortcut)
             if s.isEnabled() and isinstance(s.parent(), QWidget) and s.parent().isVisible()]
    return keys


def _shortcut_keys(root: QWidget) -> set[str]:
    return {s.key().toString(NATIVE) for s in root.findChildren(QShortcut)
            if isinstance(s.parent(), QWidget) and s.parent().isVisible()}


def _in_next_dialog(kind: type, then: Any) -> None:
    """``then(dialog)`` inside the next dialog of ``kind`` to open (its exec() runs inside the key press); closed
    after, whatever ``then`` met."""

    def look() -> None:
        for dialog in QApplication.topLevelWidgets():
            if isinstance(dialog, kind) and dialog.isVisible():
                try:
                    then(dialog)
                finally:
                    dialog.reject()
                return
        QTimer.singleShot(10, look)

    QTimer.singleShot(0, look)


def _press(qtbot: Any, window: Any, keys: str) -> None:
    window.activateWindow()  # what a window manager does when a dialog closes; offscreen has none
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keySequence(QApplication.focusWidget() or window, QKeySequence(keys))


def test_f1_lists_every_key_a_page_or_the_preview_binds_and_none_is_bound_twice(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    window = demo_window
    unlock(qtbot, window)
    window.case_list.table.setFocus()
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None and window.stack.currentWidget() is window.workspace)
    _press(qtbot, window, "Ctrl+3")
    qtbot.waitUntil(lambda: window.workspace.step == "areas")
    bound = _shortcut_keys(window)
    assert "Alt+N" in bound  # the life area's Ej aktuellt, found where the page binds it
    twice = {keys: n for keys, n in Counter(_working_keys(window)).items() if n > 1}
    assert twice == {}, "keys bound twice in the window"

    in_preview: dict[str, Any] = {}

    def read_preview(dialog: QDialog) -> None:
        in_preview["bound"] = _shortcut_keys(dialog)
        in_preview["twice"] = {k: n for k, n in Counter(_working_keys(dialog)).items() if n > 1}

    _in_next_dialog(UtredningPreviewDialog, read_preview)
    _press(qtbot, window, "Ctrl+P")
    qtbot.waitUntil(lambda: "bound" in in_preview)
    assert in_preview["twice"] == {}, "keys bound twice in the preview"
    bound |= in_preview["bound"]

    listed: list[tuple[str, str, str]] = []

    def read_list(dialog: QDialog) -> None:
        table = dialog.table
        for row in range(table.topLevelItemCount()):
            item = table.topLevelItem(row)
            listed.append((item.text(0), item.text(1), item.text(2)))

    _in_next_dialog(ShortcutsDialog, read_list)
    _press(qtbot, window, "F1")
    qtbot.waitUntil(lambda: bool(listed))
    assert sorted(bound - {keys for keys, _what, _where in listed}) == []
    assert ("Alt+N", "Ej aktuellt", "3. Kartläggning av livsområden") in listed
    assert ("Ctrl+P", "Skriv ut", "Förhandsgranskning av en handling") in listed
