"""A menu's greyed items reached by the arrow keys, so their status tips (why they are greyed) are read (s31-menus)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QMenu, QProxyStyle, QStyle
from shiboken6 import isValid


class WalkableMenus(QProxyStyle):
    """A greyed item takes the highlight as the arrows walk its menu, as in Windows's own menus, so its status tip
    says why it is greyed: Fusion (Linux's style) skipped it, and its reason with it."""

    def styleHint(self, hint: QStyle.StyleHint, option: Any = None, widget: Any = None,
                  return_data: Any = None) -> int:
        if hint == QStyle.StyleHint.SH_Menu_AllowActiveAndDisabled:
            return 1
        return super().styleHint(hint, option, widget, return_data)

    def drawControl(self, element: QStyle.ControlElement, option: Any, painter: QPainter,
                    widget: Any = None) -> None:
        super().drawControl(element, option, painter, widget)
        if element == QStyle.ControlElement.CE_MenuItem and self._outline(option):
            # A style that skips greyed items draws none highlighted (Fusion): the one reached is outlined, so the
            # person sees which item the status bar speaks of.
            painter.save()
            painter.setPen(QPen(option.palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight), 2))
            painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
            painter.restore()

    def _outline(self, option: Any) -> bool:
        state = option.state
        return (bool(state & QStyle.StateFlag.State_Selected) and not state & QStyle.StateFlag.State_Enabled
                and not self.baseStyle().styleHint(QStyle.StyleHint.SH_Menu_AllowActiveAndDisabled))


_made: list[WalkableMenus] = []  # the one style, made at the first explained menu (see ``walkable``)


def walkable() -> WalkableMenus:
    """The one walkable style of every explained menu: the menu bar's and each list's column menu each made its own
    (three QProxyStyles, s32-tidy). Made at the first menu's opening, as this module is imported (never at start:
    ``tests/ui/test_start_lazy.py``); the application owns it, as a widget does not own its style."""
    if not _made or not isValid(_made[0]):  # another application's (tests make one after another)
        style = WalkableMenus()
        style.setParent(QApplication.instance())
        _made[:] = [style]
    return _made[0]


def explained(menu: QMenu) -> QMenu:
    """``menu`` walked onto its greyed items too (``walkable``), its items' tooltips shown (the reasons their status
    tips give)."""
    menu.setStyle(walkable())
    menu.setToolTipsVisible(True)
    return menu


def tell(action: Any, reason: str) -> None:
    """``reason`` as the item's status tip (the status bar, as the menu is walked) and tooltip (the mouse)."""
    action.setStatusTip(reason)
    action.setToolTip(reason)  # "" puts back the item's text, which an open menu does not show as a tooltip

