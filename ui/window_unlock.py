"""The main window's unlock page and what opens a profile: unlock, create and restore, each on a worker, then the
unlocked window (``opened``) and what waits until the list is painted (sync, the day's upkeep).

Kept out of ``ui.main_window`` (session 21: it was over 1,100 lines): functions of the window, which binds the ones
it and others call as its methods (``MainWindow._show_unlock`` is ``show_unlock``). Nothing heavy is imported here
at start: the store and the domain are imported inside, on a worker or once the page is up (``ui.unlock.preload``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from storage.errors import StorageError
from ui import window_menus
from ui.common.after_paint import call_after_paint
from ui.settings import IDLE_LOCK_MINUTES, RECOVERY_PUBLIC_KEY_FILE, recovery_public_key
from ui.window_listing import close_opened, daily_upkeep, unlock_and_list, with_summaries

if TYPE_CHECKING:
    from pathlib import Path

    from ui.main_window import MainWindow
    from ui.session import Session

log = logging.getLogger(__name__)
# The store and the case list are imported this long after the unlock page is shown: by then its first frames are
# painted, and typing a passphrase takes longer (ui/unlock/preload.py).
PRELOAD_DELAY_MS = 200
# Sync, the day's upkeep worker and the case list's other sort orders start this long after the list's first paint:
# the first turns of the event loop go to what the person does first on seeing the list (a search typed or pasted,
# a click), which they would otherwise wait behind (~11 ms of this thread's time at 10,000 cases, and the upkeep
# worker's Python beside it). No one acts within a fifth of a second of seeing the list.
AFTER_UNLOCK_DELAY_MS = 200
# How often an unlocked window looks at the calendar (``_check_the_day``). A timer to midnight would come late: Qt's
# timers count no time the laptop slept, and one closed unlocked in the evening opens the next morning.
DAY_CHECK_MS = 60_000


def show_unlock(window: MainWindow, *, locked: bool) -> None:
    from storage.layout import profile_exists

    create = not profile_exists(window.options.profile_dir)
    window.unlock_panel.set_mode(create=create, locked=locked)
    if window.options.demo_passphrase:
        window.unlock_panel.show_demo_passphrase(window.options.demo_passphrase)
    window.stack.setCurrentWidget(window.unlock_panel)
    if locked and not create:
        _prestart_key_helper()  # the first page's helper is started by the preload
    window_menus.enable_session_actions(window)  # greyed: no session while the page is shown
    window_menus.enable_case_actions(window)
    window.save_indicator.clear()


def unlock(window: MainWindow, passphrase: str) -> None:
    from ui.unlock.preload import imported_whole

    directory = window.options.profile_dir
    # First of all: the helper waiting since the page was shown starts deriving now, on its own core, while
    # this thread imports the window's modules and builds the list page (Enter to the KDF's start: ~3 ms, not
    # the ~20 ms this thread's unlock work took before the worker asked it). Unless the preload thread has not yet
    # imported the helper's module (an Enter in its first moments): asked once the preload is done, not imported
    # here beside it (ui/unlock/preload.py).
    asked = _ask_key_helper(directory, passphrase) if imported_whole("storage.key_helper") else None

    def start() -> Any:
        helper = asked if asked is not None else _ask_key_helper(directory, passphrase)
        return _unlock_in_background(window, directory, passphrase, helper)

    _when_window_imported(window, start, on_failure=None if asked is None else asked.close)


def _unlock_in_background(window: MainWindow, directory: Path, passphrase: str, asked: Any) -> Any:
    from ui.common.worker import run_in_background

    QTimer.singleShot(0, window._build_case_list)  # while the key is derived (the page shows busy first)
    # Its one-time cost (ui/idle.py) too: the derivation does not hold the GIL, the preload while typing does.
    QTimer.singleShot(0, window.idle.watch_application)
    return run_in_background(window, lambda: unlock_and_list(directory, passphrase, asked, lambda: _key_in(window)),
                             lambda result: opened(window, *result), window._unlock_failed, unclaimed=close_opened)


def _key_in(window: MainWindow) -> None:
    """On the unlock worker once the key is unwrapped: the page's bar stops moving (``key_unwrapped``, queued to
    this thread; nothing if the window is gone meanwhile)."""
    from ui.common.worker import emit_while_alive

    emit_while_alive(window, window.key_unwrapped)


def _when_window_imported(window: MainWindow, start: Callable[[], Any], *,
                          on_failure: Callable[[], object] | None = None) -> None:
    """Once the preload's imports are done (ui/unlock/preload.py ``when_imported``), import the unlocked window's
    Qt modules on this thread, then ``start`` the worker (it returns the job), which never imports a Qt module.
    An import that fails is shown on the unlock page like a failed unlock (the page would otherwise stay busy
    for good); ``on_failure`` releases what the worker would have used."""
    from ui.unlock.preload import when_imported

    def import_then_start() -> None:
        try:
            _import_window_modules()
        except Exception as error:  # logged by type and incident id where the page's message is made
            if on_failure is not None:
                on_failure()
            unlock_failed(window, error)
            return
        window._job = start()

    when_imported(window, import_then_start)


def create_and_open(window: MainWindow, name: str, passphrase: str) -> None:
    directory, kdf = window.options.profile_dir, window.options.kdf
    recovery_file = window.settings.get(RECOVERY_PUBLIC_KEY_FILE)  # read here: QSettings stays on the UI thread

    def create_then_list() -> tuple[Any, list[Any]]:
        from storage.profile import create_profile  # on the worker: the store is not imported on the UI thread

        return with_summaries(create_profile(directory, passphrase, user_id=name, kdf=kdf,
                                             recovery_public_key_pem=recovery_public_key(recovery_file)))

    def start() -> Any:
        from ui.common.worker import run_in_background  # not at Enter: the preload thread may still be importing

        return run_in_background(window, create_then_list, lambda result: opened(window, *result),
                                 window._unlock_failed, unclaimed=close_opened)

    _when_window_imported(window, start)


def unlock_failed(window: MainWindow, error: BaseException) -> None:
    from ui.errors import user_message
    from ui.unlock.restore import offer_if_damaged

    window.unlock_panel.show_error(user_message(error))
    _prestart_key_helper()  # the failed unlock used it up: the next try finds one waiting
    offer_if_damaged(window.unlock_panel, window.options.profile_dir, error)


def restore(window: MainWindow, passphrase: str) -> None:
    from storage.restore import restore_and_open
    from ui.common.worker import run_in_background
    from ui.unlock.restore import confirmed

    if not confirmed(window):
        return
    directory = window.options.profile_dir

    def restore_then_list() -> tuple[Any, Any, list[Any]]:
        restored, profile = restore_and_open(directory, passphrase)
        return (restored, *with_summaries(profile))

    window.unlock_panel.set_busy(True)
    # Not before the last session's store is closed: a stopped sync still ending would write its last steps, and
    # its close its checkpoint, into the damaged file the restore sets aside for IT (or the backup copied in).
    window._when_stores_closed(lambda: _when_window_imported(window, lambda: run_in_background(
        window, restore_then_list, lambda result: _restored(window, result), window._unlock_failed,
        unclaimed=lambda result: close_opened(result[1:]))))


def _restored(window: MainWindow, result: tuple[Any, Any, list[Any]]) -> None:
    from ui.unlock.restore import restored_message

    restored, profile, rows = result
    opened(window, profile, rows)
    try:
        profile.audit.record("restore", detail="from the newest intact backup")
    except StorageError as error:
        window._show_error(error)
        return
    window.statusBar().showMessage(restored_message(restored), 60_000)


def opened(window: MainWindow, profile: Any, rows: list[Any] | None = None,
           recorded: bool | BaseException = False) -> None:
    """Show the unlocked profile; ``rows`` are the case summaries when the worker already read them; ``recorded``
    True when the unlock worker wrote the audit entry (or the error it met doing so). Sync, the day's deadlines and
    the backup start once the list is painted. The session loads the reference data at its first use."""
    from ui.session import Session

    window.session = Session(profile)
    if rows is not None:
        window.session.listed()  # the worker listed every case just now
    try:
        if recorded is False:
            profile.audit.record("unlock")
        elif isinstance(recorded, BaseException):
            raise recorded
    except StorageError as error:
        window._show_error(error)  # a damaged file locks again right after this (deferred)
    _save_what_the_lock_kept(window)
    window._create_sync()
    window_menus.enable_session_actions(window)
    window_menus.create_go_menu(window)
    window_menus.lock_key_in_dialogs(window)
    window.show_case_list(rows)
    if window._place is not None:
        window.open_case(window._place.case_id, window._place, window._refused)
        window._place = None
    window._refused = None
    window.idle.set_minutes(window.settings.get(IDLE_LOCK_MINUTES))
    window.idle.watch_application()  # done while the key was derived already, unless created or restored
    window.idle.start()
    if window._new_case_draft is not None:
        draft, window._new_case_draft = window._new_case_draft, None
        QTimer.singleShot(0, lambda: window._new_case(draft))
    elif window.settings_kept is not None:  # Inställningar closed by the lock: open again, as typed
        QTimer.singleShot(0, window.action_settings.trigger)
    session = window.session
    call_after_paint(window, lambda: QTimer.singleShot(AFTER_UNLOCK_DELAY_MS, window,
                                                       lambda: _after_first_paint(window, session)))
    window.unlocked.emit()


def _after_first_paint(window: MainWindow, session: Session) -> None:
    """What the unlock does not wait for (``AFTER_UNLOCK_DELAY_MS`` after the list's first paint): sync, then the
    day's deadlines and the due backup on a worker."""
    if session is not window.session or window.sync is None:
        return  # locked (or wiped) before the list was painted
    try:
        window.sync.start()
    except StorageError as error:  # its counts read the file: damage found here locks and offers the backup
        window._show_error(error)
        return

    from ui.common.worker import run_in_background

    profile, today = session.profile, session.today()
    window._upkeep_job = run_in_background(window, lambda: daily_upkeep(profile, today),
                                           lambda rows: _deadlines_refreshed(window, session, rows),
                                           lambda error: _upkeep_failed(window, session, error), holds=profile)
    _watch_the_day(window, today)


def _watch_the_day(window: MainWindow, today: Any) -> None:
    """From the unlock's upkeep on: a new day while unlocked is found within ``DAY_CHECK_MS``."""
    window._day_listed = today
    timer = window._day_timer
    if timer is None:
        timer = window._day_timer = QTimer(window)
        timer.timeout.connect(lambda: _check_the_day(window))
    timer.start(DAY_CHECK_MS)


def _check_the_day(window: MainWindow) -> None:
    """A new day (midnight passed, or the laptop woke the next morning) with the window unlocked: the day's upkeep
    again and both lists read for it, the open case's header and steps judged on it. Before, Att göra, the list's
    deadlines and the case header stayed as of the day before until the person left the case, pressed Ctrl+T or
    locked (s33-probe)."""
    session = window.session
    if session is None:
        window._day_timer.stop()  # locked: the unlock starts it again
        return
    today = session.today()
    job = window._upkeep_job
    if today == window._day_listed or (job is not None and job.running):
        return  # the same day, or the unlock's upkeep still runs: looked at again at the next tick
    window._day_listed = today

    from ui.common.worker import run_in_background

    profile = session.profile
    window._upkeep_job = run_in_background(window, lambda: daily_upkeep(profile, today),
                                           lambda _rows: _new_day_shown(window, session),
                                           lambda error: _upkeep_failed(window, session, error), holds=profile)


def _new_day_shown(window: MainWindow, session: Session) -> None:
    """The new day's deadlines are stored: the list on screen is read whole for it (its held decisions and hours
    too, which no stored deadline holds), a list hidden is read so when shown next, an open case is judged anew."""
    if session is not window.session or window.case_list is None:
        return
    if window.stack.currentWidget() is window.case_list:
        window._relist(session)
    else:
        session.relist_needed()
    workspace = window.workspace
    if workspace is not None and window.stack.currentWidget() is workspace:
        workspace.refresh_flow()  # the header's next deadline and the steps' states, as of today


def _deadlines_refreshed(window: MainWindow, session: Session, rows: list[Any] | None) -> None:
    """The day's deadlines are in: the list shows them (a list shown later reads them anyway)."""
    page = window.case_list
    if rows is None or session is not window.session or page is None:
        return
    if window.stack.currentIndex() == window.stack.indexOf(page):  # the list is on screen
        page.set_rows(rows)
        session.listed()
        # The rows shown until now were freed by the swap, after the upkeep's own trim on its worker: their heap
        # pages go back to the system too (~1.6 MiB at 10,000 cases, the day's first unlock; ~1 ms; issue 14).
        from storage.kdf import return_freed_memory  # here: the unlock page comes up without the store

        return_freed_memory()
    else:  # a case is open: back to the list reads every case (each may have a new deadline today)
        session.relist_needed()


def _upkeep_failed(window: MainWindow, session: Session, error: BaseException) -> None:
    if session is not window.session or session.profile.is_locked:
        return  # locked while it ran: the next unlock does it again
    log.warning("daily upkeep failed", extra={"error_type": type(error).__name__})
    if isinstance(error, StorageError):
        window._show_error(error)  # damage found by the backup's checks locks and offers the backup


def _save_what_the_lock_kept(window: MainWindow) -> None:
    """Edits whose save failed before a lock are stored now; if it fails again the workspace keeps them."""
    if window._unsaved is None or window.session is None:
        return
    held, window._unsaved = window._unsaved, None
    kept = window.session.take_back(held)  # saved onto what it was loaded from: a pull may have come since
    try:
        window.session.save(kept)
    except StorageError as error:
        window._unsaved = held  # the workspace opens on these objects and keeps retrying (or a lock keeps them)
        window._show_save_failed(error, kept)


def start_preload() -> None:
    from ui.unlock import preload  # here: the unlock page is shown and painted first

    preload.start_preload()


def _import_window_modules() -> None:
    from ui.unlock.preload import import_window_modules

    import_window_modules()


def _prestart_key_helper() -> None:
    from storage.key_helper import prestart

    prestart()


def _ask_key_helper(directory: Path, passphrase: str) -> Any:
    """At Enter, on the UI thread: the passphrase to the waiting helper process (``storage.key_helper.ask``), whose
    answer the unlock worker reads."""
    from storage.key_helper import ask_for_profile

    return ask_for_profile(directory, passphrase)
