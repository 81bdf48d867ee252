"""Finding and driving a window's entry points for the every-action test: its actions (menus), shortcuts and
buttons with a shortcut, found by walking the widget tree so that a new one is covered without editing a list;
and running something that may open modal dialogs, with every dialog it opens exercised once and closed by Escape."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QFileDialog, QMenu, QMenuBar, QWidget
from shiboken6 import isValid

ESCAPE_PRESSES = 5
JOB_WAIT_MS = 30_000  # a dialog that asks "discard?" after the first Escape gets another


@dataclass
class Entry:
    """One way in: ``trigger`` is the entry's own trigger (QAction.trigger, QShortcut.activated, QAbstractButton
    .click); ``keys`` what a person presses for it (empty when it has none)."""

    kind: str
    name: str
    keys: QKeySequence
    trigger: Callable[[], None]
    fired: Callable[[], int]  # how often it has fired, for the check that its keys reach it

    @property
    def ident(self) -> tuple[str, str, str]:
        return self.kind, self.name, self.keys.toString()


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_arguments: object) -> None:
        self.count += 1


def _counted(signal: Any) -> Callable[[], int]:
    counter = _Counter()
    signal.connect(counter)
    return lambda: counter.count


def entries(root: QWidget) -> list[Entry]:
    """Every action, shortcut and button-with-shortcut that ``root`` holds and a person can reach now."""
    found: list[Entry] = []
    actions: dict[int, QAction] = {}
    for widget in [root, *root.findChildren(QWidget)]:
        for action in widget.actions():
            actions[id(action)] = action
    for action in root.findChildren(QAction):
        actions[id(action)] = action
    for action in actions.values():
        if action.isSeparator() or not action.isVisible():
            continue
        menu = action.menu()
        if isinstance(menu, QMenu):  # a menu title: its mnemonic opens the menu (a popup, closed by Escape)
            text = action.text()
            if "&" in text and isinstance(action.parent(), QMenuBar | QWidget):
                keys = QKeySequence.mnemonic(text)
                found.append(Entry("menu", text, keys, lambda: None, lambda: 0))
            continue
        found.append(Entry("action", action.text() or action.objectName(), action.shortcut(), action.trigger,
                           _counted(action.triggered)))
    for shortcut in root.findChildren(QShortcut):
        owner = shortcut.parent()
        if isinstance(owner, QWidget) and owner.isVisible() and shortcut.isEnabled():
            found.append(Entry("shortcut", f"{owner.objectName()}:{shortcut.objectName()}", shortcut.key(),
                               shortcut.activated.emit, _counted(shortcut.activated)))
    for button in root.findChildren(QAbstractButton):
        if button.isVisible() and not button.shortcut().isEmpty():
            found.append(Entry("button", button.text() or button.objectName(), button.shortcut(), button.click,
                               _counted(button.clicked)))
    return found


def focus_target(window: QWidget) -> QWidget:
    """Where a key press goes: the focused widget of ``window``, or the window itself."""
    focused = QApplication.focusWidget()
    return focused if focused is not None and focused.window() is window else window


def press(window: QWidget, keys: QKeySequence) -> None:
    QTest.keySequence(focus_target(window), keys)


def open_modal() -> QWidget | None:
    """The innermost open dialog or popup menu. Found among the top-level widgets: PySide6 6.12 drops a reference
    to None each time QApplication.activeModalWidget()/activePopupWidget() returns none, which a polling loop turns
    into a fatal "deallocating None"."""
    open_ones = [w for w in QApplication.topLevelWidgets() if w.isVisible() and isinstance(w, QDialog | QMenu)]
    return max(open_ones, key=_depth, default=None)


def _depth(widget: QWidget) -> int:
    depth, parent = 0, widget.parentWidget()
    while parent is not None:
        depth += 1
        parent = parent.parentWidget()
    return depth


def dialog_kind(widget: QWidget) -> str:
    return widget.objectName() or type(widget).__name__


@dataclass
class Driver:
    """Runs entry points; a dialog that opens is exercised (each of its entries, both ways, and the main window's
    keys pressed into it) the first times it appears, then closed with Escape."""

    window_keys: list[QKeySequence]
    exercised: dict[str, set[tuple[str, str, str]]] = field(default_factory=dict)
    dialogs_seen: list[str] = field(default_factory=list)
    unclosable: list[str] = field(default_factory=list)
    _remaining_kinds: set[str] = field(default_factory=set)

    def run(self, function: Callable[[], None], protect: tuple[QWidget, ...] = ()) -> None:
        """Call ``function`` (which may block in a dialog's exec) and close whatever modal it opens."""
        timer = QTimer()
        timer.setInterval(5)

        def tick() -> None:
            widget = open_modal()
            if widget is None or widget in protect:
                return
            timer.stop()  # nested dialogs get a driver of their own: Qt does not re-enter a running timer
            try:
                if isinstance(widget, QDialog) and not isinstance(widget, QFileDialog | QPrintDialog):
                    # Qt's own file and print dialogs are only opened and closed: their actions would create,
                    # rename and delete files outside the test's folder, or print.
                    self._exercise(widget, (*protect, widget))
                self._close(widget)
            finally:
                timer.start()

        timer.timeout.connect(tick)
        timer.start()
        try:
            function()
        finally:
            timer.stop()
        QApplication.processEvents()
        leftover = open_modal()
        if leftover is not None and leftover not in protect:
            self._close(leftover)  # a popup menu, or opened at the very end (not blocking in exec)

    def pending(self, kind: str) -> bool:
        """True while a dialog of this kind has entries not yet exercised (the caller opens it again)."""
        return kind in self.exercised and kind in self._remaining_kinds

    def _exercise(self, dialog: QDialog, protect: tuple[QWidget, ...]) -> None:
        # Background work the dialog started (the preview renders its PDF) finishes first, so its entries meet the
        # dialog ready, the same on every run.
        QThreadPool.globalInstance().waitForDone(JOB_WAIT_MS)
        QApplication.processEvents()
        kind = dialog_kind(dialog)
        self.dialogs_seen.append(kind)
        done = self.exercised.setdefault(kind, set())
        todo = [e for e in entries(dialog) if e.ident not in done]
        todo += [Entry("window-key", k.toString(), k, lambda: None, lambda: 0) for k in self.window_keys]
        todo = [e for e in todo if e.ident not in done]
        self._remaining_kinds.add(kind)
        for entry in todo:
            if not isValid(dialog) or not dialog.isVisible():  # Ctrl+L among the window's keys locks and deletes it
                return  # an OK or Close among its entries: the caller opens the dialog again for the rest
            done.add(entry.ident)
            if entry.kind not in ("window-key", "menu"):
                self.run(entry.trigger, protect)
            if not entry.keys.isEmpty() and isValid(dialog) and dialog.isVisible():
                self.run(lambda e=entry: press(dialog, e.keys), protect)
        if isValid(dialog) and dialog.isVisible():
            self._remaining_kinds.discard(kind)

    def _close(self, widget: QWidget) -> None:
        for _ in range(ESCAPE_PRESSES):
            if not isValid(widget) or not widget.isVisible():
                return
            QTest.keyClick(focus_target(widget), Qt.Key.Key_Escape)
            QApplication.processEvents()
        if widget.isVisible():
            self.unclosable.append(dialog_kind(widget))
            if isinstance(widget, QDialog):
                widget.reject()  # reported by the test; closed here so the run can go on
            else:
                widget.close()
