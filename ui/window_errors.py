"""How the main window reports errors and refused saves: the autosave's "Sparad" and "Inte sparad", a refused save
named by its case, a damaged file locked (the unlock page offers the backup), other errors on the status bar.

Kept out of ``ui.main_window`` (session 21: it was over 1,100 lines): functions of the window, which binds them as
its methods (``MainWindow._show_error`` is ``show_error``): its cases, sync and unlock code call them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from storage.errors import ChangeTooLarge

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


def show_saved(window: MainWindow, saved_at: Any) -> None:
    window.save_indicator.setText(window.tr("Saved %1").replace("%1", saved_at.astimezone().strftime("%H:%M")))
    if window.sync is not None:
        window.sync.saved()


def workspace_save_failed(window: MainWindow, error: BaseException) -> None:
    """An autosave refused; said once while its retries meet the same refusal (every debounce, every focus
    change), not again at each one."""
    workspace = window.workspace
    if workspace is None or not workspace.failure_repeated or window._withdrawn_here(workspace.opened.case.id):
        show_save_failed(window, error)


def show_save_failed(window: MainWindow, error: BaseException, concerning: Any = None) -> None:
    """Say a save was refused; ``concerning`` is the OpenCase it was for (the open case when not given)."""
    if window.workspace is not None and window._withdrawn_here(window.workspace.opened.case.id):
        window._leave_withdrawn_case()  # retrying would fail for ever
        return
    window.save_indicator.setText(window.tr("Not saved"))
    opened = concerning or (window.workspace.opened if window.workspace is not None else None)
    from storage.errors import DamagedRecord, ProfileDamaged

    if opened is None or (isinstance(error, ProfileDamaged) and not isinstance(error, DamagedRecord)):
        show_error(window, error)  # a damaged file locks the window and offers the backup
        return
    say_save_refused(window, error, opened)


def say_save_refused(window: MainWindow, error: BaseException, opened: Any) -> None:
    """The refusal's sentence, naming the case when it is not the one on screen (``save_refused_message``); the
    log names it by its id."""
    from ui.errors import save_refused_message

    shown = (window.workspace is not None and window.stack.currentWidget() is window.workspace
             and window.workspace.opened.case.id == opened.case.id)
    too_large = isinstance(error, ChangeTooLarge)
    log.warning("save refused: too large to send" if too_large else "save refused",
                extra={"case_id": opened.case.id, "error_type": type(error).__name__})
    window.statusBar().showMessage(save_refused_message(error, opened.case.case_number, opened.person.full_name,
                                                        named=too_large or not shown), 15_000)


def show_error(window: MainWindow, error: BaseException) -> None:
    from storage.errors import DamagedRecord, ProfileDamaged
    from ui.errors import user_message

    if isinstance(error, ProfileDamaged) and not isinstance(error, DamagedRecord) and window.session is not None:
        # Working on in a damaged file risks more: lock (typed text is kept in memory) and offer the backup.
        # Deferred: the method that met the damage (a save, an unlock) finishes first.
        QTimer.singleShot(0, lambda: _lock_for_damage(window, error))
        return
    window.statusBar().showMessage(user_message(error), 15_000)


def _lock_for_damage(window: MainWindow, error: BaseException) -> None:
    if window.session is None:
        return  # locked already (another report of the same damage, or the user)
    window.lock()
    window._unlock_failed(error)  # says so and offers the backup
