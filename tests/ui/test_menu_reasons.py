"""A greyed menu item says why, and an item that acts says what it lacks (s31-menus): walked with the keys (Alt and
the menu's letter, then Down), the status bar says the item's reason, which follows the state. On main a greyed
item said nothing (and Linux's Fusion style skipped it: Down never reached it), so these fail there.

Three items in two or three states each: Ärende › Förhandsgranska utkast till utredning (locked / on the case list /
a case shown), Arkiv › Nytt ärende (locked / unlocked), Ärende › Förhandsgranska uppföljning (a case without a
follow-up / with one); and Synk › Synka nu on a computer never connected (locked / unlocked)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from uihelpers import open_case_by_keys, unlock

LOCKED = "Hembesök är låst: lås upp med din lösenfras först."
NO_CASE = "Inget ärende visas: öppna ett från ärendelistan först (Enter på dess rad)."
NO_FOLLOW_UP = "Lägg först till en uppföljning: det finns ingen att skriva ut."
NOT_CONNECTED = "Datorn är inte ansluten till synkservern. Synka nu frågar först efter koden från IT."
PREVIEW = "&Förhandsgranska utkast till utredning…"
FOLLOW_UP = "Förhandsgranska &uppföljning…"
NEW_CASE = "&Nytt ärende…"
SYNC_NOW = "&Synka nu"


def _said_on(qtbot: Any, window: Any, menu_letter: str, item: str) -> str:
    """Alt+<menu_letter>, then Down until ``item`` is highlighted: what the status bar says there. Esc closes the
    menu and leaves the menu bar."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    menu = next(a.menu() for a in window.menuBar().actions() if a.text().lower().count("&" + menu_letter))
    qtbot.keyClick(QApplication.focusWidget() or window, menu_letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(menu.isVisible)
    for _ in menu.actions():
        if menu.activeAction() is not None and menu.activeAction().text() == item:
            break
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    assert menu.activeAction() is not None and menu.activeAction().text() == item, "the item is reached by Down"
    said = window.statusBar().currentMessage()
    if not menu.activeAction().isEnabled():
        assert _outlined(menu), "the greyed item reached is drawn so"
    tooltip = menu.activeAction().toolTip()
    assert said == (tooltip if said else ""), "the tooltip says what the status bar does"
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not menu.isVisible())
    qtbot.keyClick(window.menuBar(), Qt.Key.Key_Escape)
    return said


def _outlined(menu: Any) -> bool:
    """The item reached has the highlight's colour at its left edge (Fusion drew a greyed one as any other)."""
    rect = menu.actionGeometry(menu.activeAction())
    image = menu.grab().toImage()
    highlight = menu.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    return any(image.pixelColor(x, rect.center().y()) == highlight for x in range(rect.left(), rect.left() + 4))


def _open(qtbot: Any, window: Any, number: str) -> Any:
    open_case_by_keys(qtbot, window, number)
    qtbot.waitUntil(lambda: window.workspace.opened is not None and window.workspace.opened.case.case_number == number)
    return window.workspace


def test_greyed_items_say_why_locked_then_on_the_list(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    assert not demo_window.action_preview.isEnabled()
    assert _said_on(qtbot, demo_window, "r", PREVIEW) == LOCKED
    assert _said_on(qtbot, demo_window, "a", NEW_CASE) == LOCKED
    assert _said_on(qtbot, demo_window, "y", SYNC_NOW) == LOCKED
    unlock(qtbot, demo_window)
    assert not demo_window.action_preview.isEnabled()
    assert _said_on(qtbot, demo_window, "r", PREVIEW) == NO_CASE
    assert _said_on(qtbot, demo_window, "a", NEW_CASE) == ""
    assert _said_on(qtbot, demo_window, "y", SYNC_NOW) == NOT_CONNECTED


def test_the_follow_up_item_says_when_the_case_has_none(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    workspace = _open(qtbot, demo_window, "DEMO-2026-0001")
    assert not workspace.opened.case.follow_ups
    assert _said_on(qtbot, demo_window, "r", PREVIEW) == ""
    assert _said_on(qtbot, demo_window, "r", FOLLOW_UP) == NO_FOLLOW_UP
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: demo_window.stack.currentWidget() is demo_window.case_list)
    assert _said_on(qtbot, demo_window, "r", FOLLOW_UP) == NO_CASE
    workspace = _open(qtbot, demo_window, "DEMO-2025-0117")
    assert workspace.opened.case.follow_ups
    assert _said_on(qtbot, demo_window, "r", FOLLOW_UP) == ""
