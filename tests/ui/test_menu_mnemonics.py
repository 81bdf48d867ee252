"""The menus' underlined letters (s30-keys). Two items of one open menu with the same letter make Qt select them in
turn and trigger neither: Arkiv held Ärende&lista, Byt &lösenfras and &Lås, so Alt+A, L never locked (File's Case
&list and &Lock, Sync's Sync &conflicts and &Connect in English). Every menu of the unlocked window, in both
languages, has its letters once, as the menu bar has; and the letter is pressed into the open menu as a person
does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu
from uihelpers import unlock


@pytest.fixture
def english_window(qtbot, settings, demo_profile_dir) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The demo window built in English (its menus take their texts when made); Swedish again after."""
    from storage.kdf import KdfParameters
    from ui.i18n import install_language
    from ui.main_window import MainWindow, StartOptions

    install_language("en")
    try:
        window = MainWindow(settings, StartOptions(profile_dir=demo_profile_dir, kdf=KdfParameters()))
        qtbot.addWidget(window)
        window.show()
        yield window
        if window.session is not None:
            window.session.lock()
    finally:
        install_language("sv")


def _doubled(texts: list[str]) -> list[str]:
    letters = Counter(QKeySequence.mnemonic(text).toString().lower() for text in texts)
    return [text for text in texts if (letter := QKeySequence.mnemonic(text).toString().lower())
            and letters[letter] > 1]


def _menus_doubling_a_letter(window: Any) -> dict[str, list[str]]:
    menus = [action.menu() for action in window.menuBar().actions() if isinstance(action.menu(), QMenu)]
    found = {"menu bar": _doubled([action.text() for action in window.menuBar().actions()])}
    for menu in menus:
        found[menu.title()] = _doubled([a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()])
    return {where: texts for where, texts in found.items() if texts}


def _lock_by_the_file_menu(qtbot: Any, window: Any, menu_letter: str) -> None:
    """Alt+<the File menu's letter>, then L in the open menu: the window locks."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    file_menu = window.menuBar().actions()[0].menu()
    qtbot.keyClick(window.focusWidget() or window, menu_letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(file_menu.isVisible)
    qtbot.keyClick(file_menu, "l")
    qtbot.waitUntil(lambda: window.session is None)


def test_no_menu_of_the_swedish_window_underlines_a_letter_twice(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    assert _menus_doubling_a_letter(demo_window) == {}


def test_alt_a_then_l_locks(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    assert demo_window.menuBar().actions()[0].text() == "&Arkiv"
    _lock_by_the_file_menu(qtbot, demo_window, "a")


def test_no_menu_of_the_english_window_underlines_a_letter_twice(qtbot, english_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, english_window)
    assert _menus_doubling_a_letter(english_window) == {}


def test_alt_f_then_l_locks_in_english(qtbot, english_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, english_window)
    assert english_window.menuBar().actions()[0].text() == "&File"
    _lock_by_the_file_menu(qtbot, english_window, "f")
