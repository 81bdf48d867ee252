"""Every entry point of the main window and of each dialog it opens, in every state, both ways: the entry's own
trigger (QAction.trigger, QShortcut.activated, a button's click) and its key sequence pressed on the focused window.
No exception may reach sys.excepthook or the incident message (tests/conftest.py fails the test then), every dialog
that opens closes with Escape, and an enabled action's keys reach it. The entries are found by walking the widget
tree (tests/ui/entry_points.py), so a new action, shortcut or dialog is covered without editing this test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from entry_points import Driver, Entry, entries, open_modal, press
from PySide6.QtWidgets import QApplication
from uihelpers import unlock

from ibic.workflow import Step
from storage.kdf import KdfParameters

STEPS = [step.value for step in Step]
STATES = ["first_run", "unlock", "list", *(f"case:{step}" for step in STEPS), "locked"]
REOPEN_LIMIT = 10  # a dialog whose OK/Close is among its entries is opened again for the rest, this many times
# Each dialog is exercised (its own entries and the window's keys pressed into it) the first time it opens in this
# module, whichever state that is; later states only open it and close it with Escape, which keeps the run short.
EXERCISED: dict[str, set[tuple[str, str, str]]] = {}


class Harness:
    """One main window in one state; a Quit (the window closes) or a lock is undone by reaching the state again."""

    def __init__(self, qtbot: Any, settings: Any, directory: Path, state: str) -> None:
        self.qtbot, self.settings, self.directory, self.state = qtbot, settings, directory, state
        self.window: Any = None
        self.windows: list[Any] = []

    def new_window(self) -> Any:
        from ui.main_window import MainWindow, StartOptions

        window = MainWindow(self.settings, StartOptions(profile_dir=self.directory, kdf=KdfParameters()))
        self.qtbot.addWidget(window)
        window.show()
        self.windows.append(window)
        self.window = window
        return window

    def activate(self) -> None:
        self.window.activateWindow()
        self.qtbot.waitUntil(self.window.isActiveWindow)

    def reach(self, state: str) -> None:
        if self.window is None or not self.window.isVisible():
            self.new_window()
        self.activate()
        window = self.window
        if state in ("first_run", "unlock"):
            assert window.session is None and window.stack.currentWidget() is window.unlock_panel
            return
        if window.session is None:
            unlock(self.qtbot, window)
        if state == "locked":
            window.action_lock.trigger()
        elif state == "list":
            if window.stack.currentWidget() is not window.case_list:
                window.action_list.trigger()
        else:
            self._open_case_on(state.split(":", 1)[1])
        self.activate()
        assert self.is_in(state), state

    def _open_case_on(self, step: str) -> None:
        window = self.window
        if window.workspace is None or window.stack.currentWidget() is not window.workspace:
            window.open_case(window.case_list.model.summary(0).case_id)
        if window.workspace.step != step:
            window.workspace.go_to(step)
        window.workspace.pages.currentWidget().setFocus()

    def is_in(self, state: str) -> bool:
        window = self.window
        if window is None or not window.isVisible() or open_modal() is not None:
            return False
        shown = window.stack.currentWidget()
        if state in ("first_run", "unlock", "locked"):
            return shown is window.unlock_panel and (window.session is None)
        if window.session is None:
            return False
        if state == "list":
            return shown is window.case_list
        return shown is window.workspace and window.workspace.step == state.split(":", 1)[1]

    def close_all(self) -> None:
        for window in self.windows:
            if window.session is not None:
                window.session.lock()


@pytest.fixture
def harness(qtbot, settings, tmp_path: Path, demo_profile_dir: Path, request) -> Iterator[Harness]:  # type: ignore[no-untyped-def]
    state = request.param
    directory = tmp_path / "empty" if state == "first_run" else demo_profile_dir
    made = Harness(qtbot, settings, directory, state)
    yield made
    made.close_all()


def _find(window: Any, ident: tuple[str, str, str]) -> Entry | None:
    return next((e for e in entries(window) if e.ident == ident), None)


def _run_both_ways(harness: Harness, driver: Driver, state: str, ident: tuple[str, str, str]) -> list[str]:
    """Trigger the entry, then press its keys, each from the state; returns what did not reach the action."""
    missed: list[str] = []
    for way in ("trigger", "keys"):
        if not harness.is_in(state):
            harness.reach(state)
        harness.activate()  # offscreen, no window manager gives the window back its activation after a dialog
        entry = _find(harness.window, ident)
        if entry is None or (way == "keys" and entry.keys.isEmpty()):
            continue
        enabled = entry.kind != "action" or _action_enabled(harness.window, entry)
        before = entry.fired()
        for _ in range(REOPEN_LIMIT):
            opened: list[str] = []
            driver.dialogs_seen.clear()
            if way == "trigger":
                driver.run(entry.trigger)
            else:
                driver.run(lambda e=entry: press(harness.window, e.keys))
            opened = list(driver.dialogs_seen)
            if not any(driver.pending(kind) for kind in opened):
                break
            if not harness.is_in(state):
                harness.reach(state)
                entry = _find(harness.window, ident) or entry
        if way == "keys" and enabled and entry.kind in ("action", "shortcut") and entry.fired() == before:
            missed.append(f"{state}: {entry.name} ({entry.keys.toString()})")
    return missed


def _action_enabled(window: Any, entry: Entry) -> bool:
    from PySide6.QtGui import QAction

    return any(a.isEnabled() for a in window.findChildren(QAction) if (a.text() or a.objectName()) == entry.name)


@pytest.mark.parametrize("harness", STATES, indirect=True)
def test_every_action_both_ways_in_every_state(harness: Harness) -> None:
    state = harness.state
    harness.reach(state)
    found = entries(harness.window)
    window_keys = [e.keys for e in found if not e.keys.isEmpty()]
    driver = Driver(window_keys, exercised=EXERCISED)
    # Lock and Quit leave the state: run them last, so the rest run without reaching the state again.
    order = sorted(found, key=lambda e: e.keys.toString() in ("Ctrl+L", "Ctrl+Q"))
    missed: list[str] = []
    for entry in order:
        missed += _run_both_ways(harness, driver, state, entry.ident)
    assert open_modal() is None
    assert driver.unclosable == [], "dialogs that Escape does not close"
    assert missed == [], "enabled actions whose keys did not reach them"
    assert "settingsDialog" in driver.exercised, "Ctrl+, opens the settings in every state"
    QApplication.processEvents()
