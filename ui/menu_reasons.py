"""Why a menu item is greyed, or what it lacks though it acts (s31-menus): the item's status tip, which the status bar
says as the menu is walked with the arrows, and its tooltip, for the mouse. Both are set each time a menu opens, from
the rules that decide them (the lock, the case shown: ``ui.window_menus``; a case's follow-ups:
``ibic.case_actions``; the sync's state), so they follow the state. A greyed item had said nothing: Ärende's items
on the case list, every item but Inställningar, Avsluta and Hjälp's while locked.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def explain_menus(window: MainWindow) -> None:
    """Every menu of the menu bar says its items' reasons as it opens (the Gå menu, filled at the first unlock, too)."""
    menus = [menu for action in window.menuBar().actions() if isinstance(menu := action.menu(), QMenu)]
    for menu in menus:
        menu.aboutToShow.connect(partial(_opening, window, menu))


def _opening(window: MainWindow, menu: QMenu) -> None:
    """The menu walked onto its greyed items from its first opening (its style set before it is laid out), then
    its reasons. Not at start: ``ui.common.menu_style`` builds QStyle's enums, ~7 ms of the cold start
    (bench.run start: 1.32-1.36× the bare window against 1.27-1.28× before it, s31's quiet runs)."""
    from ui.common.menu_style import WalkableMenus, explained

    if not isinstance(menu.style(), WalkableMenus):
        explained(menu)
    say_why(window)


def say_why(window: MainWindow) -> None:
    """Each item's reason now ("" where it acts and lacks nothing)."""
    from ui.common.menu_style import tell
    from ui.window_menus import case_refusal, session_refusal

    session = session_refusal(window)
    for action in window._session_actions:
        tell(action, session)
    refusal = case_refusal(window)
    for action in window._case_actions:
        tell(action, refusal)
    opened = window.workspace.opened if window.workspace is not None else None
    if not refusal and opened is not None:
        tell(window.action_follow_up, _follow_up_lacking(opened.case))
    if not session and window.sync is not None and window.sync.controller.status.state == "not_enrolled":
        from ui.errors import not_connected_text

        tell(window.action_sync, not_connected_text(window.tr("Sync now asks for the code from IT first.")))


def _follow_up_lacking(case: Any) -> str:
    from ibic.case_actions import follow_up_record_refusal
    from ui.messages import shown

    refusal = follow_up_record_refusal(case)
    return shown(refusal) if refusal is not None else ""
