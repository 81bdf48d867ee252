"""The main window: unlock page, case list and case workspace in one stack, with lock and autosave status.

Heavy modules (the domain models, storage, the workspace) are imported when first needed, so the unlock
page appears about as fast as a bare Qt window.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QByteArray, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget

from storage.errors import ChangeTooLarge, RecordArriving, StorageError
from ui.clipboard import take_back as take_back_clipboard
from ui.clipboard import watch_copies
from ui.common.after_paint import call_after_paint
from ui.common.collection import unfreeze
from ui.common.screen_fit import fit_to_screen, keep_on_screen
from ui.common.widgets import ignoring_checked, text_action
from ui.idle import IdleWatcher
from ui.settings import (
    CASEWORKER_CONTACT,
    IDLE_LOCK_MINUTES,
    ISSUING_UNIT,
    MUNICIPALITY,
    RECOVERY_PUBLIC_KEY_FILE,
    SPLITTER_STATE,
    WINDOW_GEOMETRY,
    AppSettings,
    recovery_public_key,
)
from ui.unlock.panel import UnlockPanel
from ui.window_leaving import WindowLeaving

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from ui.session import Session
    from ui.window_sync import WindowSync
    from ui.workspace.workspace import CaseWorkspace, Place, RefusedTexts

log = logging.getLogger(__name__)
# The store and the case list are imported this long after the unlock page is shown: by then its first frames are
# painted, and typing a passphrase takes longer (ui/unlock/preload.py).
PRELOAD_DELAY_MS = 200
# Sync, the day's upkeep worker and the case list's other sort orders start this long after the list's first paint:
# the first turns of the event loop go to what the person does first on seeing the list (a search typed or pasted,
# a click), which they would otherwise wait behind (~11 ms of this thread's time at 10,000 cases, and the upkeep
# worker's Python beside it). No one acts within a fifth of a second of seeing the list.
AFTER_UNLOCK_DELAY_MS = 200


class StartOptions(NamedTuple):  # not a dataclass: see ui.settings.Setting
    """What ``main.py`` decided: where the profile is, and test/demo knobs."""

    profile_dir: Path
    demo_passphrase: str | None = None
    kdf: Any = None  # storage.kdf.KdfParameters; None = tuned on this machine


class MainWindow(QMainWindow):
    unlocked = Signal()
    key_unwrapped = Signal()  # emitted on the unlock worker once the key is in (the page's bar stops moving)
    locked = Signal()

    def __init__(self, settings: AppSettings, options: StartOptions) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Hembesök")
        self.settings, self.options = settings, options
        self.session: Session | None = None
        self._unsaved: Any = None  # a HeldCase (ui.session): the open case whose last save failed before a lock
        self._new_case_draft: dict[str, str] | None = None  # a New case dialog closed by a lock
        self._refused: Any = None  # RefusedTexts (ui.workspace.workspace): texts refused on screen at a lock
        self.sync: WindowSync | None = None
        self.workspace: CaseWorkspace | None = None
        self._place: Place | None = None
        self._job: Any = None
        self._upkeep_job: Any = None
        self._relisting: object | None = None  # the read of the list after a sync while it runs (``_relist``)
        self._sync_letting_go: Any = None  # the sync job a lock stopped: the next session's first sync follows it
        self._closing: set[Any] = set()  # stores a lock left open until their workers let go (``_close_store``)
        self._after_closed: list[Callable[[], object]] = []  # what waits for them all to close (a restore)
        self._closed = False  # the window closed (quit): ``_close_store`` starts no worker any more
        self.leaving = WindowLeaving(self)  # the question before leaving a refused text (``ui.window_leaving``)
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.unlock_panel = UnlockPanel(self.stack)
        self.stack.addWidget(self.unlock_panel)
        self.case_list: Any = None
        self.save_indicator = QLabel(self)
        self.save_indicator.setObjectName("saveIndicator")
        self.statusBar().addPermanentWidget(self.save_indicator)
        self._create_actions()
        self.idle = IdleWatcher(settings.get(IDLE_LOCK_MINUTES), self)
        self.idle.idle.connect(self.lock)
        application = QGuiApplication.instance()
        if isinstance(application, QGuiApplication):
            application.commitDataRequest.connect(self.end_session)  # the OS session ends: quit asks nothing
        self.unlock_panel.unlock_requested.connect(self._unlock)
        self.key_unwrapped.connect(self.unlock_panel.set_key_unwrapped)  # queued: emitted on the unlock worker
        self.unlock_panel.create_requested.connect(self._create)
        self.unlock_panel.restore_requested.connect(self._restore)
        self._show_unlock(locked=False)
        geometry = settings.get(WINDOW_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            keep_on_screen(self)  # saved on a bigger screen, or at another scaling
        else:
            wanted = QSize(self.fontMetrics().averageCharWidth() * 150, self.fontMetrics().lineSpacing() * 45)
            fit_to_screen(self, wanted)
        QTimer.singleShot(PRELOAD_DELAY_MS, _start_preload)

    def _create_actions(self) -> None:
        menu_file = self.menuBar().addMenu(self.tr("&File"))
        menu_case = self.menuBar().addMenu(self.tr("&Case"))
        self.action_new = self._action(self.tr("&New case…"), "Ctrl+N", self._new_case, menu_file)
        self.action_list = self._action(self.tr("Case &list"), "Ctrl+E",
                                        lambda: self.leaving.then(self.show_case_list), menu_file)
        self.action_work = self._action(self.tr("&To do"), "Ctrl+T", lambda: self.leaving.then(self.show_work_list),
                                        menu_file)
        self.action_settings = self._action(self.tr("&Settings…"), "Ctrl+,", self._open_settings, menu_file)
        self.action_passphrase = self._action(self.tr("Change &passphrase…"), "", self._change_passphrase,
                                              menu_file)
        self.action_lock = self._action(self.tr("&Lock"), "Ctrl+L", self.lock, menu_file)
        self._action(self.tr("&Quit"), "Ctrl+Q", self.close, menu_file)
        self.action_preview = self._action(self.tr("&Preview draft utredning…"), "Ctrl+P", self._preview, menu_case)
        self.menu_go = self.menuBar().addMenu(self.tr("&Go"))  # filled at the first unlock (the steps need ibic)
        self._case_actions: list[QAction] = []
        menu_sync = self.menuBar().addMenu(self.tr("S&ync"))
        self.action_sync = self._action(self.tr("&Sync now"), "Ctrl+Shift+S", self._sync_now, menu_sync)
        self.action_conflicts = self._action(self.tr("Sync &conflicts…"), "", self._show_conflicts, menu_sync)
        self.action_enroll = self._action(self.tr("&Connect to the sync server…"), "", self._enroll, menu_sync)
        from ui.reports.menu import ReportsMenu

        self.reports = ReportsMenu(self)  # the Rapporter menu (issue 13); its actions need an unlocked session
        menu_help = self.menuBar().addMenu(self.tr("&Help"))
        self.action_shortcuts = self._action(self.tr("&Keyboard shortcuts…"), "F1", self._show_shortcuts, menu_help)
        self.action_about = self._action(self.tr("&About Hembesök"), "", self._about, menu_help)
        self._session_actions = [
            self.action_passphrase,
            self.action_new,
            self.action_list,
            self.action_work,
            self.action_lock,
            self.action_preview,
            self.action_sync,
            self.action_conflicts,
            self.action_enroll,
            *self.reports.actions.values(),
        ]

    def _create_go_menu(self) -> None:
        """Ctrl+1 … Ctrl+6 for the steps, F6 to the navigator, Ctrl+PgDown/PgUp between life areas: no step is
        more than one key press away. Enabled while a case is shown."""
        from functools import partial

        from ui.workspace.navigator import step_titles

        if self._case_actions:
            return
        menu = self.menu_go
        for number, (step, title) in enumerate(step_titles().items(), start=1):
            self._case_actions.append(self._action(title, f"Ctrl+{number}", partial(self._go_to_step, step.value),
                                                   menu))
        menu.addSeparator()
        for text, keys, offset in ((self.tr("Next life area"), "Ctrl+PgDown", 1),
                                   (self.tr("Previous life area"), "Ctrl+PgUp", -1)):
            self._case_actions.append(self._action(text, keys, partial(self._step_area, offset), menu))
        self._case_actions.append(self._action(self.tr("Go to the steps of the case"), "F6",
                                               self._focus_navigator, menu))
        self._enable_case_actions()

    def _enable_case_actions(self) -> None:
        shown = self.workspace is not None and self.stack.currentWidget() is self.workspace
        for action in self._case_actions:
            action.setEnabled(shown)

    def _go_to_step(self, step: str) -> None:
        if self.workspace is not None:
            self.workspace.go_to_step(step)

    def _step_area(self, offset: int) -> None:
        if self.workspace is not None:
            self.workspace.step_area(offset)

    def _focus_navigator(self) -> None:
        if self.workspace is not None:
            self.workspace.navigator.setFocus()

    def _show_shortcuts(self) -> None:
        from ui.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self.menuBar(), self).exec()

    def _action(self, text: str, shortcut: str, slot: Any, menu: Any) -> QAction:
        action = text_action(text, self)
        if shortcut:
            # Set by name, as the property, which Qt parses from the text: setShortcut's overloads make the binding
            # build every enum of Qt's namespace (about 40 ms) and QKeySequence.fromString creates QKeySequence with
            # its enums (a few ms), before the unlock page, which needs neither.
            action.setProperty("shortcut", shortcut)
        action.triggered.connect(ignoring_checked(slot))  # never pass `checked` on as the slot's argument
        menu.addAction(action)
        return action

    def _about(self) -> None:
        from ui.about import AboutDialog

        AboutDialog(self).open()

    # --- unlock / create -------------------------------------------------------------------------------------
    def _show_unlock(self, *, locked: bool) -> None:
        from storage.layout import profile_exists

        create = not profile_exists(self.options.profile_dir)
        self.unlock_panel.set_mode(create=create, locked=locked)
        if self.options.demo_passphrase:
            self.unlock_panel.show_demo_passphrase(self.options.demo_passphrase)
        self.stack.setCurrentWidget(self.unlock_panel)
        if locked and not create:
            _prestart_key_helper()  # the first page's helper is started by the preload
        for action in [*self._session_actions, *self._case_actions]:
            action.setEnabled(False)
        self.save_indicator.clear()

    def _unlock(self, passphrase: str) -> None:
        directory = self.options.profile_dir
        # First of all: the helper waiting since the page was shown starts deriving now, on its own core, while
        # this thread imports the window's modules and builds the list page (Enter to the KDF's start: ~3 ms, not
        # the ~20 ms this thread's unlock work took before the worker asked it).
        asked = _ask_key_helper(directory, passphrase)
        self._when_window_imported(lambda: self._unlock_in_background(directory, passphrase, asked),
                                   on_failure=asked.close)

    def _unlock_in_background(self, directory: Path, passphrase: str, asked: Any) -> Any:
        from ui.common.worker import run_in_background

        QTimer.singleShot(0, self._build_case_list)  # while the key is derived (the page shows busy first)
        # Its one-time cost (ui/idle.py) too: the derivation does not hold the GIL, the preload while typing does.
        QTimer.singleShot(0, self.idle.watch_application)
        return run_in_background(self, lambda: _unlock_and_list(directory, passphrase, asked, self._key_in),
                                 self._opened_with_rows, self._unlock_failed, unclaimed=_close_opened)

    def _key_in(self) -> None:
        """On the unlock worker once the key is unwrapped: the page's bar stops moving (``key_unwrapped``, queued to
        this thread; nothing if the window is gone meanwhile)."""
        from ui.common.worker import emit_while_alive

        emit_while_alive(self, self.key_unwrapped)

    def _when_window_imported(self, start: Callable[[], Any], *, on_failure: Callable[[], object] | None = None,
                              ) -> None:
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
                self._unlock_failed(error)
                return
            self._job = start()

        when_imported(self, import_then_start)

    def _create(self, name: str, passphrase: str) -> None:
        from ui.common.worker import run_in_background

        directory, kdf = self.options.profile_dir, self.options.kdf
        recovery_file = self.settings.get(RECOVERY_PUBLIC_KEY_FILE)  # read here: QSettings stays on the UI thread

        def create_then_list() -> tuple[Any, list[Any], Any]:
            from storage.profile import create_profile  # on the worker: the store is not imported on the UI thread

            return _with_summaries(create_profile(directory, passphrase, user_id=name, kdf=kdf,
                                                  recovery_public_key_pem=recovery_public_key(recovery_file)))

        self._when_window_imported(
            lambda: run_in_background(self, create_then_list, self._opened_with_rows, self._unlock_failed,
                                      unclaimed=_close_opened))

    def _unlock_failed(self, error: BaseException) -> None:
        from ui.errors import user_message
        from ui.unlock.restore import offer_if_damaged

        self.unlock_panel.show_error(user_message(error))
        _prestart_key_helper()  # the failed unlock used it up: the next try finds one waiting
        offer_if_damaged(self.unlock_panel, self.options.profile_dir, error)

    def _restore(self, passphrase: str) -> None:
        from storage.restore import restore_and_open
        from ui.common.worker import run_in_background
        from ui.unlock.restore import confirmed

        if not confirmed(self):
            return
        directory = self.options.profile_dir

        def restore_then_list() -> tuple[Any, Any, list[Any], Any]:
            restored, profile = restore_and_open(directory, passphrase)
            return (restored, *_with_summaries(profile))

        self.unlock_panel.set_busy(True)
        # Not before the last session's store is closed: a stopped sync still ending would write its last steps, and
        # its close its checkpoint, into the damaged file the restore sets aside for IT (or the backup copied in).
        self._when_stores_closed(lambda: self._when_window_imported(
            lambda: run_in_background(self, restore_then_list, self._restored, self._unlock_failed,
                                      unclaimed=lambda result: _close_opened(result[1:]))))

    def _restored(self, result: tuple[Any, Any, list[Any], Any]) -> None:
        from ui.unlock.restore import restored_message

        restored, profile, rows, ref = result
        self._opened(profile, rows, ref)
        try:
            profile.audit.record("restore", detail="from the newest intact backup")
        except StorageError as error:
            self._show_error(error)
            return
        self.statusBar().showMessage(restored_message(restored), 60_000)

    def _opened_with_rows(self, result: tuple[Any, list[Any], Any]) -> None:
        self._opened(*result)

    def _opened(self, profile: Any, rows: list[Any] | None = None, ref: Any = None,
                recorded: bool | BaseException = False) -> None:
        """Show the unlocked profile; ``rows`` are the case summaries and ``ref`` the reference data when the
        worker already read them; ``recorded`` True when the unlock worker wrote the audit entry (or the error it
        met doing so). Sync, the day's deadlines and the backup start once the list is painted."""
        from ui.session import Session

        if ref is None:
            from ibic.reference import load_reference_data

            ref = load_reference_data()
        self.session = Session(profile, ref)
        if rows is not None:
            self.session.listed()  # the worker listed every case just now
        try:
            if recorded is False:
                profile.audit.record("unlock")
            elif isinstance(recorded, BaseException):
                raise recorded
        except StorageError as error:
            self._show_error(error)  # a damaged file locks again right after this (deferred)
        self._save_what_the_lock_kept()
        self._create_sync()
        for action in self._session_actions:
            action.setEnabled(True)
        self._create_go_menu()
        self.show_case_list(rows)
        if self._place is not None:
            self.open_case(self._place.case_id, self._place, self._refused)
            self._place = None
        self._refused = None
        self.idle.set_minutes(self.settings.get(IDLE_LOCK_MINUTES))
        self.idle.watch_application()  # done while the key was derived already, unless created or restored
        self.idle.start()
        if self._new_case_draft is not None:
            draft, self._new_case_draft = self._new_case_draft, None
            QTimer.singleShot(0, lambda: self._new_case(draft))
        session = self.session
        call_after_paint(self, lambda: QTimer.singleShot(AFTER_UNLOCK_DELAY_MS, self,
                                                         lambda: self._after_first_paint(session)))
        self.unlocked.emit()

    def _after_first_paint(self, session: Session) -> None:
        """What the unlock does not wait for (``AFTER_UNLOCK_DELAY_MS`` after the list's first paint): sync, then the
        day's deadlines and the due backup on a worker."""
        if session is not self.session or self.sync is None:
            return  # locked (or wiped) before the list was painted
        try:
            self.sync.start()
        except StorageError as error:  # its counts read the file: damage found here locks and offers the backup
            self._show_error(error)
            return

        from ui.common.worker import run_in_background

        profile, today = session.profile, session.today()
        self._upkeep_job = run_in_background(self, lambda: _daily_upkeep(profile, today),
                                             lambda rows: self._deadlines_refreshed(session, rows),
                                             lambda error: self._upkeep_failed(session, error), holds=profile)

    def _deadlines_refreshed(self, session: Session, rows: list[Any] | None) -> None:
        """The day's deadlines are in: the list shows them (a list shown later reads them anyway)."""
        page = self.case_list
        if rows is None or session is not self.session or page is None:
            return
        if self.stack.currentIndex() == self.stack.indexOf(page):  # the list is on screen
            page.set_rows(rows)
            session.listed()
        else:  # a case is open: back to the list reads every case (each may have a new deadline today)
            session.relist_needed()

    def _upkeep_failed(self, session: Session, error: BaseException) -> None:
        if session is not self.session or session.profile.is_locked:
            return  # locked while it ran: the next unlock does it again
        log.warning("daily upkeep failed", extra={"error_type": type(error).__name__})
        if isinstance(error, StorageError):
            self._show_error(error)  # damage found by the backup's checks locks and offers the backup

    def _save_what_the_lock_kept(self) -> None:
        """Edits whose save failed before a lock are stored now; if it fails again the workspace keeps them."""
        if self._unsaved is None or self.session is None:
            return
        held, self._unsaved = self._unsaved, None
        kept = self.session.take_back(held)  # saved onto what it was loaded from: a pull may have come since
        try:
            self.session.save(kept)
        except StorageError as error:
            self._unsaved = held  # the workspace opens on these objects and keeps retrying (or a lock keeps them)
            self._show_save_failed(error, kept)

    # --- cases ----------------------------------------------------------------------------------------------
    def show_case_list(self, rows: list[Any] | None = None) -> None:
        if self.session is None:
            return
        left = self.workspace is None or self.workspace.leave()  # it stays built for the next case; lock destroys it
        self.setWindowTitle("Hembesök")
        watch_copies()  # once unlocked: what a field copies is taken back at the lock
        self._build_case_list()
        if self._relisting is not None:  # a sync's read of the list under way: this listing reads every case
            self._relisting = None
            self.session.relist_needed()
        try:
            ever_synced = self.session.profile.sync.cursor() > 0
            # Back from a case: only the cases saved since the listing are read again (50,000 are not); with
            # ``rows`` from the unlock worker, those saved after it listed (what a lock kept).
            saved = self.session.saved_summaries()
            if saved is None and rows is None:
                rows = self.session.summaries()
            withdrawn = frozenset(self.session.profile.withdrawals.kept())
        except StorageError as error:  # a damaged file locks the window (deferred) and offers the backup
            self._show_error(error)
            return
        if rows is not None:
            self.case_list.set_rows(rows, ever_synced=ever_synced, withdrawn=withdrawn)
        if saved or rows is None:
            self.case_list.update_rows(saved or [], ever_synced=ever_synced, withdrawn=withdrawn)
        # The focus goes straight to the search field, before the workspace is hidden: hiding the widget that holds
        # the focus would hand it on along the focus chain (the workspace's reading-order walk, the sync button)
        # first, one focus change for a screen reader to announce each, and a few ms of Ctrl+E's frame.
        self.case_list.focus_search()
        self.stack.setCurrentWidget(self.case_list)
        self._enable_case_actions()
        if not left and self.workspace is not None and self.workspace.last_save_error is not None:
            # Said over the list now, where nothing shows which case the text not saved is in.
            self._say_save_refused(self.workspace.last_save_error, self.workspace.opened)

    def _build_case_list(self) -> None:
        """The case list page, empty until an unlocked session fills it: built on first use, or while the unlock
        worker derives the key (the UI thread waits then anyway, and the derivation does not hold the GIL)."""
        if self.case_list is not None:
            return
        from ibic.reference import load_reference_data  # cached: the same object the session gets
        from ui.cases.case_list import CaseListPage

        self.case_list = CaseListPage(load_reference_data(), self.stack)
        self.case_list.case_activated.connect(self.open_case)
        self.case_list.new_case_requested.connect(self._new_case)
        self.stack.addWidget(self.case_list)

    def show_work_list(self) -> None:
        """Ctrl+T: the case list with the "Att göra" list focused."""
        self.show_case_list()
        if self.case_list is not None and self.stack.currentIndex() == self.stack.indexOf(self.case_list):
            self.case_list.focus_work()

    def open_case(self, case_id: str, place: Place | None = None, refused: RefusedTexts | None = None) -> None:
        if self.session is None or self.leaving.asked(lambda: self.open_case(case_id, place, refused)):
            return
        from ui.workspace.workspace import CaseWorkspace

        if self.workspace is not None and not self.workspace.leave():
            if not isinstance(self.workspace.last_save_error, RecordArriving):
                # The message is shown; switching would drop the edits that could not be saved. The case itself
                # opens on them (Ctrl+E left them in the workspace): the message asks to shorten or correct them.
                if self.workspace.opened.case.id == case_id:
                    self._back_to_workspace()
                return
            # The case is arriving again: its text is saved when it has arrived (the workspace retries), or never,
            # when the copy predates a withdrawal (the message says to copy it and open the case again). Asked,
            # as at quit: switching drops what is typed.
            drop = self._drop_unsaved_text()
            if self.session is None or self.workspace is None:
                return  # locked (or the case taken away) while the question was open: the lock kept the text
            if not drop:
                self._back_to_workspace()
                return
            self._drop_workspace()
        kept = self._unsaved.opened if self._unsaved is not None and self._unsaved.opened.case.id == case_id else None
        self._unsaved = None
        try:
            opened = kept or self.session.open_case(case_id)
        except StorageError as error:
            self._show_error(error)  # e.g. a sync moved the case away: say so, and show the fresh list
            self.show_case_list()
            return
        if self.workspace is None:
            self.workspace = CaseWorkspace(self.session, opened, self.stack)
            splitter_state = self.settings.get(SPLITTER_STATE)
            if isinstance(splitter_state, QByteArray) and not splitter_state.isEmpty():
                self.workspace.splitter.restoreState(splitter_state)
            self.workspace.saved.connect(self._show_saved)
            self.workspace.save_failed.connect(self._workspace_save_failed)
            self.workspace.preview_requested.connect(self._preview)
            self.stack.addWidget(self.workspace)
        else:
            self.workspace.show_case(opened)  # the built widgets are reused; lock destroys them
        self.stack.setCurrentWidget(self.workspace)
        self._enable_case_actions()
        self.setWindowTitle(f"Hembesök – {opened.case.case_number}")
        if kept is not None:
            self.workspace.mark_dirty()
        if place is not None:
            self.workspace.restore(place, refused)

    def _back_to_workspace(self) -> None:
        """The open case's workspace on screen again, with what it holds (from the list as well)."""
        if self.workspace is None:
            return
        self.stack.setCurrentWidget(self.workspace)
        self._enable_case_actions()
        self.setWindowTitle(f"Hembesök – {self.workspace.opened.case.case_number}")

    def _drop_unsaved_text(self) -> bool:
        """Whether the person lets go of text the open case could not save (it is arriving from the server)."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.warning(
            self,
            self.tr("Not saved"),
            self.tr("The case is being fetched again from the server, so what you typed has not been saved yet. "
                    "Open the case anyway? What was not saved is lost."),
            QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Discard,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _new_case(self, draft: dict[str, str] | None = None) -> None:
        # Asked before the dialog, not before opening what it made: Stanna kvar must leave no case created. After
        # Lämna the dialog opens on the next turn, once the question has closed: its exec() inside the question's
        # own ``finished`` left windows opened later unable to become active (offscreen, the next Ny ärende).
        if self.session is None or self.leaving.asked(lambda: QTimer.singleShot(0, lambda: self._new_case(draft))):
            return
        from ui.cases.new_case_dialog import NewCaseDialog

        session = self.session
        dialog = NewCaseDialog(
            session.ref, session.caseworker, self.settings.get(ISSUING_UNIT), session.today(), session.profile.people,
            self,
        )
        if draft:
            dialog.restore(draft)
        accepted = dialog.exec()
        if accepted and dialog.open_case_id is not None:
            self.open_case(dialog.open_case_id)  # a known person's case, instead of a second person
            return
        if accepted and dialog.result_case is not None and dialog.result_person is not None:
            try:
                self.session.create_case(dialog.result_case, dialog.result_person)
            except StorageError as error:
                from ui.session import OpenCase

                self._show_save_failed(error, OpenCase(dialog.result_case, dialog.result_person))  # not the open one
                return
            self.open_case(dialog.result_case.id)

    # --- sync ---------------------------------------------------------------------------------------------------
    def _create_sync(self) -> None:
        """The status-bar widget and the controller; the first sync starts once the list is painted."""
        from ui.window_sync import WindowSync

        assert self.session is not None
        self.sync = WindowSync(self, self.session, self.settings, self._show_sync_message, self._save_open_case)
        self.sync.controller.follow(self._sync_letting_go)  # the last session's sync, if a lock left it ending
        self.sync.data_changed.connect(self._after_sync)
        self.sync.profile_wiped.connect(self._profile_wiped)

    def _stop_sync(self) -> None:
        if self.sync is not None:
            self._sync_letting_go = self.sync.stop() or self._sync_letting_go
            self.sync = None

    def _close_store(self, session: Session) -> None:
        """Close the store and overwrite the key once no worker uses it: a sync stopped by the lock ends its step
        (a request under way is answered first), the day's upkeep its backup; the screen is locked meanwhile."""
        from ui.common.worker import run_in_background, when_let_go

        profile = session.profile
        self._closing.add(profile)

        def close() -> None:
            try:
                session.lock()
            finally:
                self._closing.discard(profile)
                if not self._closing:
                    waiting, self._after_closed = self._after_closed, []
                    for then in waiting:
                        then()

        def keep_then_close() -> None:
            """The lists kept for the next unlock (``ui.cases.kept_listing``) once the other workers (a sync step
            ending, whose writes would make them stale) let go: built from the store on a worker while the page
            is locked, and the store closed after it. After the window was closed (a quit, the event loop over) no
            worker would be waited for: kept here."""
            if self._closed:
                try:
                    _keep_listing(profile, session.ref)
                except Exception as error:  # the store is closed all the same; the next unlock lists in full
                    _keeping_failed(error)
                close()
                return
            run_in_background(self, lambda: _keep_listing(profile, session.ref), lambda _kept: None,
                              _keeping_failed, holds=profile)
            when_let_go(profile, close)

        when_let_go(profile, keep_then_close)

    def _when_stores_closed(self, then: Callable[[], object]) -> None:
        """``then()`` once every store a lock left open for its workers is closed (at once when none is)."""
        if self._closing:
            self._after_closed.append(then)
        else:
            then()

    def _sync_now(self) -> None:
        if self.workspace is not None:
            self.workspace.save_now()
        if self.sync is not None:
            self.sync.sync_now()

    def _show_conflicts(self) -> None:
        if self.sync is not None:
            self.sync.show_conflicts()

    def _enroll(self) -> None:
        if self.sync is not None:
            self.sync.enroll()

    def _show_sync_message(self, message: str) -> None:
        self.statusBar().showMessage(message, 30_000)

    def _after_sync(self) -> None:
        """Re-read what a pull or a resolved conflict changed: the list, and the open case if nothing is pending."""
        if self.session is None:
            return
        showing_list = self.case_list is not None and self.stack.currentWidget() is self.case_list
        if showing_list:
            self._relist(self.session)
        else:
            self.session.relist_needed()  # the list is read whole when shown next
        workspace = self.workspace
        if workspace is None:
            return
        if self._withdrawn_here(workspace.opened.case.id):
            self._leave_withdrawn_case()  # even with unsaved edits: they can no longer be stored anywhere
            return
        if workspace.has_unsaved_changes or workspace.shows_errors() or workspace.holds_typed_adds():
            return  # never replace what the user is typing (an add form too); the next sync brings the rest
        place = workspace.place()
        try:
            opened = self.session.reload_case(place.case_id)
        except StorageError:
            return  # e.g. a damaged record: the form keeps showing what it has
        workspace.reload(opened, place)

    def _relist(self, session: Session) -> None:
        """The list read again after a sync on a worker, straight from the cursor as the unlock reads it, and
        SQLCipher's page cache given back after it. Read on the UI thread as a list of 10,000 summaries (~1.8 KiB a
        case) beside the old and the new rows, it kept ~31 MiB resident (``bench_start``'s enrolled figure)."""
        from ui.common.worker import run_in_background

        profile, today, ref = session.profile, session.today(), self.case_list.model.ref
        token = self._relisting = object()  # a newer read, or the list read by ``show_case_list``, wins
        session.listed()  # the saves made while it reads are read again after it (``_relisted``)
        run_in_background(self, lambda: _relisted_rows(profile, ref, today),
                          lambda listing: self._relisted(session, token, listing),
                          lambda error: self._relist_failed(session, token, error), holds=profile)

    def _relisted(self, session: Session, token: object, listing: Any) -> None:
        page = self.case_list
        if token is not self._relisting or session is not self.session or page is None:
            return
        self._relisting = None
        shown = self.stack.currentWidget() is page
        try:
            saved = session.saved_summaries()
            withdrawn = frozenset(session.profile.withdrawals.kept())
            ever_synced = session.profile.sync.cursor() > 0  # "Not synced yet" goes after the first sync
        except StorageError as error:
            self._show_error(error)
            return
        if saved is None or not shown:
            session.relist_needed()  # a new day meanwhile, or the list hidden: read whole when shown next
            return
        page.set_rows(listing, ever_synced=ever_synced, withdrawn=withdrawn)
        if saved:
            page.update_rows(saved)

    def _relist_failed(self, session: Session, token: object, error: BaseException) -> None:
        if token is not self._relisting or session is not self.session:
            return
        self._relisting = None
        session.relist_needed()
        log.warning("list not read after a sync", extra={"error_type": type(error).__name__})
        if isinstance(error, StorageError):
            self._show_error(error)

    def _withdrawn_here(self, case_id: str) -> bool:
        """Reassigned away AND deleted from this computer (a case kept for unsynced work is still here)."""
        try:
            return self.session is not None and self.session.profile.withdrawals.is_removed(case_id)
        except StorageError:  # a damaged file: the caller reports the save's own error
            return False

    def _leave_withdrawn_case(self) -> None:
        """The open case was reassigned away and deleted here: nothing of it may stay on screen."""
        unsaved = self.workspace is not None and self.workspace.has_unsaved_changes
        self._drop_workspace()
        self._place = None
        self.show_case_list()
        message = self.tr("The case you had open was moved to another handläggare and removed from this computer.")
        if unsaved:
            message += " " + self.tr("What you typed after the last save could not be saved.")
        self._show_sync_message(message)

    def _save_open_case(self) -> None:
        """Before a sync: what is typed becomes a pending change, so a case moved away meanwhile keeps it."""
        if self.workspace is not None:
            self.workspace.save_now()

    def _drop_workspace(self) -> None:
        """Take the workspace (and the case it shows) out of the window at once."""
        if self.workspace is None:
            return
        from ui.workspace.leaving import close_questions

        close_questions(self)  # a question about leaving it (a pull took the case away)
        self.settings.set(SPLITTER_STATE, self.workspace.splitter.saveState())
        self.workspace.detach()
        self.stack.removeWidget(self.workspace)
        self.workspace.setParent(None)  # out of the widget tree at once; deleteLater waits for the loop
        self.workspace.deleteLater()
        self.workspace = None
        self._enable_case_actions()

    def _profile_wiped(self) -> None:
        """IT revoked the device and the profile is gone: nothing of it may stay on screen."""
        self._clear_screen()
        self._place = None
        self._unsaved = None
        self._new_case_draft = None
        self._refused = None
        self.session = None
        unfreeze()  # as at a lock: the session is gone
        self._show_unlock(locked=False)

    def _show_saved(self, saved_at: Any) -> None:
        self.save_indicator.setText(self.tr("Saved %1").replace("%1", saved_at.astimezone().strftime("%H:%M")))
        if self.sync is not None:
            self.sync.saved()

    def _workspace_save_failed(self, error: BaseException) -> None:
        """An autosave refused; said once while its retries meet the same refusal (every debounce, every focus
        change), not again at each one."""
        workspace = self.workspace
        if workspace is None or not workspace.failure_repeated or self._withdrawn_here(workspace.opened.case.id):
            self._show_save_failed(error)

    def _show_save_failed(self, error: BaseException, concerning: Any = None) -> None:
        """Say a save was refused; ``concerning`` is the OpenCase it was for (the open case when not given)."""
        if self.workspace is not None and self._withdrawn_here(self.workspace.opened.case.id):
            self._leave_withdrawn_case()  # retrying would fail for ever
            return
        self.save_indicator.setText(self.tr("Not saved"))
        opened = concerning or (self.workspace.opened if self.workspace is not None else None)
        from storage.errors import DamagedRecord, ProfileDamaged

        if opened is None or (isinstance(error, ProfileDamaged) and not isinstance(error, DamagedRecord)):
            self._show_error(error)  # a damaged file locks the window and offers the backup
            return
        self._say_save_refused(error, opened)

    def _say_save_refused(self, error: BaseException, opened: Any) -> None:
        """The refusal's sentence, naming the case when it is not the one on screen (``save_refused_message``); the
        log names it by its id."""
        from ui.errors import save_refused_message

        shown = (self.workspace is not None and self.stack.currentWidget() is self.workspace
                 and self.workspace.opened.case.id == opened.case.id)
        too_large = isinstance(error, ChangeTooLarge)
        log.warning("save refused: too large to send" if too_large else "save refused",
                    extra={"case_id": opened.case.id, "error_type": type(error).__name__})
        self.statusBar().showMessage(save_refused_message(error, opened.case.case_number, opened.person.full_name,
                                                          named=too_large or not shown), 15_000)

    def _show_error(self, error: BaseException) -> None:
        from storage.errors import DamagedRecord, ProfileDamaged
        from ui.errors import user_message

        if isinstance(error, ProfileDamaged) and not isinstance(error, DamagedRecord) and self.session is not None:
            # Working on in a damaged file risks more: lock (typed text is kept in memory) and offer the backup.
            # Deferred: the method that met the damage (a save, an unlock) finishes first.
            QTimer.singleShot(0, lambda: self._lock_for_damage(error))
            return
        self.statusBar().showMessage(user_message(error), 15_000)

    def _lock_for_damage(self, error: BaseException) -> None:
        if self.session is None:
            return  # locked already (another report of the same damage, or the user)
        self.lock()
        self._unlock_failed(error)  # says so and offers the backup

    def _preview(self) -> None:
        if self.session is None or self.workspace is None:
            return
        self.workspace.save_now()
        from ui.printing.preview import open_preview

        session, opened = self.session, self.workspace.opened
        dialog = open_preview(
            self,
            opened.case,
            opened.person,
            session.ref,
            caseworker=session.caseworker,
            unit=self.settings.get(ISSUING_UNIT),
            municipality=self.settings.get(MUNICIPALITY),
            contact=self.settings.get(CASEWORKER_CONTACT),
            audit=lambda action, detail: session.profile.audit.record(action, case_id=opened.case.id, detail=detail),
        )
        dialog.exec()

    def _change_passphrase(self) -> None:
        if self.session is None:
            return
        from ui.unlock.change_passphrase import ChangePassphraseDialog

        if ChangePassphraseDialog(self.session.profile, self).exec():
            self.statusBar().showMessage(self.tr("The passphrase is changed. Use the new one from now on."), 15_000)

    def _report_passphrase_change(self, under_way: tuple[Any, list[BaseException | None]] | None) -> None:
        """A lock closes the passphrase dialog while its change runs: the change goes on (its worker holds the
        store), and once it ends the unlock page says which passphrase opens the profile (the status bar, if the
        window was unlocked again meanwhile): the person learns it before typing one (docs/architecture.md)."""
        if under_way is None:
            return
        job, outcome = under_way

        def ended() -> None:
            if outcome and outcome[0] is None:
                message = self.tr("Your passphrase was changed before Hembesök locked. Unlock with the new one.")
            else:
                message = self.tr("The passphrase was not changed before Hembesök locked. Unlock with the one you "
                                  "had.")
            on_the_page = self.session is None and self.stack.currentWidget() is self.unlock_panel
            if on_the_page:
                self.unlock_panel.explanation.setText(message)
            if not on_the_page or self.unlock_panel.busy.isVisible():
                # An unlock under way (the old passphrase read the key file before the re-wrap) replaces the page
                # in a moment: the status bar says it on in the window it opens.
                self.statusBar().showMessage(message, 60_000)

        job.then(ended)

    def _open_settings(self) -> None:
        from ui.settings_dialog import SettingsDialog

        if SettingsDialog(self.settings, self).exec():
            self.idle.set_minutes(self.settings.get(IDLE_LOCK_MINUTES))

    # --- lock and close -------------------------------------------------------------------------------------
    def lock(self) -> None:
        """Save, forget everything personal on screen, drop the key; unlock returns to the same place."""
        if self.session is None:
            return
        self.idle.stop()
        try:
            if self.workspace is not None:
                if self.stack.currentWidget() is self.workspace:
                    # An add refused now is kept with the other refused texts (a hidden step's is shown first).
                    self.workspace.add_pending()
                    self._refused = self.workspace.refused_texts()  # typed back after the unlock
                self._place = self.workspace.place()
                try:
                    saved = self.workspace.leave()
                except Exception as error:  # the screen must lock whatever the save met
                    log.warning("save at lock failed", extra={"error_type": type(error).__name__})
                    saved = False
                if not saved:
                    # Kept in memory (never on screen) with the bases its save is diffed against, and stored again
                    # right after the next unlock: merged onto a record that arrived meanwhile, or still refused
                    # (the text back in its field) while it arrives or when the copy predates a withdrawal.
                    self._unsaved = self.session.hold(self.workspace.opened)
            try:
                self.session.profile.audit.record("lock")
            except StorageError as error:  # a damaged or full file must not keep the screen unlocked
                log.warning("lock not audited", extra={"error_type": type(error).__name__})
        finally:
            self._clear_screen()
            session, self.session = self.session, None
            self._close_store(session)
            unfreeze()  # what the unlock's listing froze (ui.common.collection)
        self._show_unlock(locked=True)
        self.locked.emit()

    def _clear_screen(self) -> None:
        """Remove everything personal from the window: dialogs, the workspace, the list, the search, sync."""
        from PySide6.QtWidgets import QDialog

        from ui.cases.new_case_dialog import NewCaseDialog
        from ui.unlock.change_passphrase import ChangePassphraseDialog

        for dialog in self.findChildren(QDialog):
            if isinstance(dialog, NewCaseDialog) and self.session is not None:
                self._new_case_draft = dialog.draft()  # reopened with the same text after unlock
            if isinstance(dialog, ChangePassphraseDialog):
                self._report_passphrase_change(dialog.under_way())
            dialog.reject()  # a preview, underlag or conflict dialog may be open over the case
            dialog.setParent(None)
            dialog.deleteLater()
        self._drop_workspace()
        if self.case_list is not None:
            self.case_list.set_rows([])
            self.case_list.search.clear()
            self.case_list.forget_painted()
        self._stop_sync()
        take_back_clipboard()
        self.setWindowTitle("Hembesök")

    def end_session(self, _manager: object = None) -> None:
        """SIGTERM, SIGINT (``ui.app``) or the OS session's end (``commitDataRequest``): the close asks nothing."""
        self.leaving.end_session()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.leaving.close_asked():
            event.ignore()  # Lämna closes again (``ui.window_leaving``)
            return
        ending = self.leaving.ending
        if ending and self.workspace is not None:
            self.workspace.add_pending()  # the adds tried first: one refused is counted with the refused texts
        if ending and self.workspace is not None and self.workspace.refused_fields():
            log.warning("quit with refused texts", extra={"count": len(self.workspace.refused_fields())})
        saved = self.workspace is None or self.workspace.leave()
        if not saved and ending and self.workspace is not None:
            # Lost as at a SIGKILL (the old question kept the program waiting until the session killed it), but
            # not without a trace: the log says a change was not saved, and why (its type; no text).
            log.warning("quit with a change not saved",
                        extra={"error_type": type(self.workspace.last_save_error).__name__})
        elif not saved:
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.warning(
                self,
                self.tr("Not saved"),
                self.tr("The latest changes could not be saved. Close anyway? What was not saved is lost."),
                QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Close,
            )
            if answer != QMessageBox.StandardButton.Close:
                event.ignore()
                return
        self._refused = None  # a text a lock kept is never kept past quit
        self.settings.set(WINDOW_GEOMETRY, self.saveGeometry())
        self._after_closed.clear()  # a restore waiting for the last store to close is not begun after quit
        if self.session is not None:
            self._clear_screen()
            session, self.session = self.session, None
            self._close_store(session)  # kept on a worker, waited for at exit (``ui.app.run``)
        # A store whose workers let go only after this (at exit) is kept and closed without a worker.
        self._closed = True
        self.settings.sync()
        event.accept()


def _start_preload() -> None:
    from ui.unlock.preload import start_preload  # here: the unlock page is shown and painted first

    start_preload()


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


def _unlock_and_list(directory: Path, passphrase: str, asked: Any,
                     key_in: Callable[[], object] = lambda: None) -> tuple[Any, Any, Any, Any]:
    """Run on the unlock worker: the store is imported here (or found imported by the preload), not on the UI
    thread; the day's backup waits until the list is shown (``_daily_upkeep``). ``asked`` is the helper process
    that derives the key (asked at Enter): Argon2 and cryptography never load in this one. ``key_in`` is called
    once the key is unwrapped and the store open, before the cases are listed."""
    from storage.profile import unlock_profile

    try:
        profile = unlock_profile(directory, passphrase, backup=False, unwrap_key=asked.unwrap)
    finally:
        asked.close()  # refused before its answer was read (the wait after wrong passphrases): it derives no more
    key_in()
    recording = _UnlockRecorded(profile)
    try:
        listing = _prepared(profile, read_then=recording.start)
    except BaseException:
        recording.wait()  # the store is closed: it may be writing (and then meets ProfileLocked)
        raise
    recording.start()
    recorded = recording.wait()  # before the list is shown, as when the UI thread wrote it
    return (*listing, True if recorded is None else recorded)


class _UnlockRecorded:
    """The unlock's audit entry, written on a thread of its own once the listing's reads are done: its commit's
    fsync (~11 ms, the GIL let go) runs beside the Python that turns the kept value into rows, where the UI thread
    wrote it after the worker, before the first paint. The worker waits for it: no list is shown unaudited."""

    def __init__(self, profile: Any) -> None:
        self._profile = profile
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._record, name="unlock-audit", daemon=True)
            self._thread.start()

    def _record(self) -> None:
        try:
            self._profile.audit.record("unlock")
        except BaseException as error:  # delivered with the listing to the UI thread, which shows it
            self._error = error

    def wait(self) -> BaseException | None:
        """Once it is written (if it was started): None, or the error it met."""
        if self._thread is not None:
            self._thread.join()
        return self._error


def _close_opened(result: tuple[Any, ...]) -> None:
    """An unlock, create or restore that ended after quit (its worker waited for at ``ui.app.run``'s last step):
    the store it opened is closed (the key overwritten, the WAL checkpointed), not left to the collector."""
    result[0].lock()


def _with_summaries(profile: Any) -> tuple[Any, Any, Any]:
    """Run on a worker after a create or a restore: the list with every deadline refreshed (a new or restored
    profile has few or none to refresh), the reference data and the window's modules."""
    return _prepared(profile, refresh=True)


def _prepared(profile: Any, *, refresh: bool = False,
              read_then: Callable[[], object] = lambda: None) -> tuple[Any, Any, Any]:
    """Run on a worker: the case list as stored (deadlines computed on an earlier day are refreshed off the unlock
    path, by ``_daily_upkeep``), the reference data, and the store's and domain's modules (the window's Qt modules
    were imported on the UI thread before this worker started: ``ui.unlock.preload``)."""
    import importlib
    from datetime import date

    from ibic.reference import load_reference_data
    from ui.cases.kept_listing import context, read_kept
    from ui.common.collection import collector_paused
    from ui.unlock.preload import MODULES, forget_module_sources

    try:
        for name in MODULES:
            importlib.import_module(name)
        forget_module_sources()  # before the rows are made: they reuse the memory the source lines held
        ref = load_reference_data()
        context()  # the program's files as they are now, before rows are built (a create's first lock stamps them)
        # Both lists' rows built here, not on the UI thread, straight from the cursor (no list of summaries); or,
        # when nothing was written since the last lock kept them, read as one value (``ui.cases.kept_listing``).
        today = date.today()
        with collector_paused():
            listing = None if refresh else read_kept(profile, ref, today, read_then)
            if listing is None:
                read_then()
                listing = _listing(profile, ref, today, refresh=refresh)
        return profile, listing, ref
    except BaseException:
        profile.lock()  # nobody else holds it: close the file and overwrite the key now, not at garbage collection
        raise


def _keep_listing(profile: Any, ref: Any) -> bool:
    """Run on a worker at the lock or quit: both lists' rows kept in the profile for the next unlock."""
    from datetime import date

    from ui.cases.kept_listing import keep

    return keep(profile, ref, date.today())


def _keeping_failed(error: BaseException) -> None:
    """The kept lists could not be written (a full disk, a damaged file): the next unlock lists in full."""
    log.warning("listing not kept", extra={"error_type": type(error).__name__})


def _daily_upkeep(profile: Any, today: Any) -> Any:
    """Run on a worker once the list is painted: the day's deadlines (the work list's column), the pulled entries
    folded into their documents (``SyncState.fold_pulled_entries``), then the backup
    when one is due, then the memory those needed given back. Returns the refreshed listing when any deadline
    was computed anew, else None."""
    from ibic.reference import load_reference_data
    from ui.common.collection import collector_paused
    from ui.unlock.preload import forget_module_sources

    changed = profile.cases.refresh_deadlines(today)
    profile.sync.fold_pulled_entries()  # pulled entries kept in rows of their own go into their documents
    profile.backup_if_due()
    listing = None
    if changed:
        ref = load_reference_data()
        with collector_paused():
            listing = _listing(profile, ref, today, refresh=False)
    forget_module_sources()  # of the modules sync imported after the first paint
    profile.release_memory()  # the pages the listing and the backup decrypted
    return listing


def _listing(profile: Any, ref: Any, today: Any, *, refresh: bool) -> Any:
    """Run on a worker: both lists' rows built straight from the cursor (no list of summaries held beside them)."""
    from ui.cases.case_list import prepared_listing

    return profile.cases.read_summaries(lambda rows: prepared_listing(rows, ref), today=today, refresh=refresh)


def _relisted_rows(profile: Any, ref: Any, today: Any) -> Any:
    """Run on a worker after a sync: the whole listing (today's deadlines refreshed, as a listing on the UI thread
    did), then the pages it decrypted given back (``Profile.release_memory``)."""
    from ui.common.collection import collector_paused

    with collector_paused():
        listing = _listing(profile, ref, today, refresh=True)
    profile.release_memory()
    return listing
