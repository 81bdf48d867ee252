"""Every explained menu walks its greyed items by one style (s32-tidy): the menu bar's menus, the case list's column
menu and Att göra's each made a QProxyStyle of their own; still made at a menu's first opening, not at start
(``test_start_lazy``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProxyStyle
from test_column_menu_keys import _closed, _opened_by
from uihelpers import unlock


def test_the_menus_and_both_column_menus_share_one_style(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    case_list = demo_window.case_list
    qtbot.waitUntil(lambda: case_list.table.model().rowCount() > 0)
    file_menu = demo_window.menuBar().actions()[0].menu()
    demo_window.activateWindow()
    qtbot.waitUntil(demo_window.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or demo_window, "a", Qt.KeyboardModifier.AltModifier)  # Arkiv
    qtbot.waitUntil(file_menu.isVisible)
    qtbot.keyClick(file_menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not file_menu.isVisible())
    styles = [file_menu.style()]
    for table, column_menu in ((case_list.table, case_list.column_menu),
                               (case_list.work.table, case_list.work.column_menu)):
        menu = _opened_by(qtbot, table, column_menu, Qt.Key.Key_Menu)
        styles.append(menu.style())
        _closed(qtbot, menu)
    assert isinstance(styles[0], QProxyStyle) and all(style is styles[0] for style in styles)
    made = {id(style) for owner in (QApplication.instance(), demo_window) for style in owner.findChildren(QProxyStyle)}
    assert len(made) == 1, "one made, owned by the application: on main the window and each list owned one"
