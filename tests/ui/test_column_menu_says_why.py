"""The case list's hidden columns are named, and their menu says why each is hidden (s31-menus).

On a 1366×768 laptop at 20 pt the case list hides Senast ändrat and Synkstatus (the least missed: screenshots in the
s31-menus report); nothing on screen said they exist, the header's tooltip told right-clicking only, and the
column menu's items said nothing of why one was unchecked or greyed. Now the header's tooltip names the hidden
columns and the keys; walked with Down, each item's status tip says why it is hidden (the room, or the user) or
greyed (the name); each item has a letter of its own. The menu is opened as the context-menu key (Shift+F10 on
Windows) opens it: the platform sends the list a keyboard context-menu event (the offscreen platform turns no key
into one)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu
from shiboken6 import isValid
from uihelpers import window_at

from ui.cases.list_rows import COLUMNS

HOW = "Högerklicka här, eller tryck på snabbmenytangenten (Skift+F10) i listan, för att visa eller dölja kolumner."
ROOM = ("Dold för att listan är smal. Välj den för att visa den ändå (en mindre viktig kolumn döljs för att ge plats), "
        "eller gör fönstret bredare.")
BY_YOU = "Du har dolt kolumnen. Välj den för att visa den igen."
NAME = "Namnet visas alltid: det skiljer raderna åt."


def _menu_by_keys(qtbot: Any, case_list: Any) -> QMenu:
    table = case_list.table
    table.window().activateWindow()
    qtbot.waitUntil(table.window().isActiveWindow)
    table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    before = case_list.column_menu.menu
    QApplication.sendEvent(table, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(4, 4),
                                                       table.mapToGlobal(QPoint(4, 4))))
    menu = case_list.column_menu.menu
    assert menu is not None and menu is not before and menu.objectName() == "columnMenu"
    qtbot.waitUntil(menu.isVisible)
    return menu


def _items(qtbot: Any, window: Any) -> list[str]:
    menu = _menu_by_keys(qtbot, window.case_list)
    items = [a.text() for a in menu.actions() if not a.isSeparator()]
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    return items


def _walk_to(qtbot: Any, menu: QMenu, item: str) -> None:
    for _ in menu.actions():
        if menu.activeAction() is not None and menu.activeAction().text().replace("&", "") == item:
            return
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    raise AssertionError(f"{item} not reached by Down")


def _said(qtbot: Any, window: Any, item: str, *, choose: bool = False) -> str:
    """The column menu opened by keys, Down to ``item``: what the status bar says; Enter (``choose``) or Esc."""
    menu = _menu_by_keys(qtbot, window.case_list)
    _walk_to(qtbot, menu, item)
    said = window.statusBar().currentMessage()
    assert menu.activeAction().toolTip() == (said or item)
    qtbot.keyClick(menu, Qt.Key.Key_Return if choose else Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not isValid(menu) or not menu.isVisible())  # deleted once closed
    assert window.statusBar().currentMessage() == ""  # the reason goes with the menu (it stayed after Esc)
    return said


def test_hidden_columns_are_named_and_their_menu_says_why(  # type: ignore[no-untyped-def]
    qtbot: Any, qapp, settings, demo_profile_dir, laptop_screen
) -> None:
    window = window_at(qtbot, qapp, settings, demo_profile_dir, (1366, 728), 20)
    table, header = window.case_list.table, window.case_list.table.horizontalHeader()
    qtbot.waitUntil(lambda: table.model().rowCount() == 3 and table.isColumnHidden(COLUMNS.index("updated")))
    assert [c for i, c in enumerate(COLUMNS) if table.isColumnHidden(i)] == ["updated", "sync"]
    assert header.toolTip() == "Dolda kolumner: Senast ändrat, Synkstatus. " + HOW
    assert _said(qtbot, window, "Namn") == NAME
    letters = [QKeySequence.mnemonic(text).toString().lower() for text in _items(qtbot, window)]
    assert all(letters) and len(set(letters)) == len(letters), "each item has a letter of its own"
    assert _said(qtbot, window, "Senast ändrat", choose=True) == ROOM  # Enter shows it anyway
    qtbot.waitUntil(lambda: not table.isColumnHidden(COLUMNS.index("updated")))
    assert _said(qtbot, window, "Senast ändrat") == ""
    # Shown anyway, Senast ändrat took the room of the next least useful column, which the tooltip now names.
    qtbot.waitUntil(lambda: header.toolTip() == "Dolda kolumner: Status, Vad som söks, Synkstatus. " + HOW)
    assert _said(qtbot, window, "Vad som söks") == ROOM
    assert _said(qtbot, window, "Personnummer", choose=True) == ""  # Enter hides it
    qtbot.waitUntil(lambda: table.isColumnHidden(COLUMNS.index("personal_number")))
    assert _said(qtbot, window, "Personnummer") == BY_YOU
    assert header.toolTip().startswith("Dolda kolumner: Personnummer, ")
