"""The menus' underlined letters (s30-keys; every item has one, s31-menus). Two items of one open menu with the
same letter make Qt select them in turn and trigger neither: Arkiv held Ärende&lista, Byt &lösenfras and &Lås, so
Alt+A, L never locked (File's Case &list and &Lock, Sync's Sync &conflicts and &Connect in English). Every menu of
the unlocked window, in both languages, has its letters once, as the menu bar has; and the letter is pressed into the
open menu as a person does."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu
from test_english_walk import english  # noqa: F401 (the fixture)
from uihelpers import unlock


def _doubled(texts: list[str]) -> list[str]:
    letters = Counter(QKeySequence.mnemonic(text).toString().lower() for text in texts)
    return [text for text in texts if (letter := QKeySequence.mnemonic(text).toString().lower())
            and letters[letter] > 1]


def _items(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]


def _menus(window: Any) -> list[QMenu]:
    return [action.menu() for action in window.menuBar().actions() if isinstance(action.menu(), QMenu)]


def _menus_doubling_a_letter(window: Any) -> dict[str, list[str]]:
    found = {"menu bar": _doubled([action.text() for action in window.menuBar().actions()])}
    for menu in _menus(window):
        found[menu.title()] = _doubled(_items(menu))
    return {where: texts for where, texts in found.items() if texts}


def _items_without_a_letter(window: Any) -> list[str]:
    """Rapporter's items had none (s31-menus): the open menu was walked with the arrows only."""
    return [f"{menu.title()} › {text}" for menu in _menus(window) for text in _items(menu)
            if not QKeySequence.mnemonic(text).toString()]


def _lock_by_the_file_menu(qtbot: Any, window: Any, menu_letter: str) -> None:
    """Alt+<the File menu's letter>, then L in the open menu: the window locks."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    file_menu = window.menuBar().actions()[0].menu()
    qtbot.keyClick(window.focusWidget() or window, menu_letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(file_menu.isVisible)
    qtbot.keyClick(file_menu, "l")
    qtbot.waitUntil(lambda: window.session is None)


def _letters_once_then_lock(qtbot: Any, window: Any, file_menu: str) -> None:
    unlock(qtbot, window)
    assert _menus_doubling_a_letter(window) == {}
    assert _items_without_a_letter(window) == []
    assert window.menuBar().actions()[0].text() == file_menu
    _lock_by_the_file_menu(qtbot, window, QKeySequence.mnemonic(file_menu).toString()[-1].lower())


def test_swedish_menus_underline_each_letter_once_and_alt_a_l_locks(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    _letters_once_then_lock(qtbot, demo_window, "&Arkiv")


@pytest.mark.usefixtures("english")  # before the window: its menus take their texts when made
def test_english_menus_underline_each_letter_once_and_alt_f_l_locks(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    _letters_once_then_lock(qtbot, demo_window, "&File")
