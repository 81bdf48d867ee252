"""The main window: unlock page, case list and case workspace in one stack, with lock and autosave status.

Heavy modules (the domain models, storage, the workspace) are imported when first needed, so the unlock
page appears about as fast as a bare Qt window. The unlock page's flow (``ui.window_unlock``), the menus
(``ui.window_menus``) and the error reports (``ui.window_errors``) are functions of the window bound as its methods.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QByteArray, QSize, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget

from storage.errors import RecordArriving, StorageError
from ui import window_errors, window_menus, window_unlock
from ui.case_opening import CaseOpening, imported_class, workspace_imported
from ui.clipboard import take_back as take_back_clipboard
from ui.clipboard import watch_copies
from ui.common.collection import unfreeze
from ui.common.screen_fit import fit_to_screen, keep_on_screen
from ui.idle import IdleWatcher
from ui.settings import (
    CASE_LIST_COLUMNS,
    IDLE_LOCK_MINUTES,
    ISSUING_UNIT,
    SPLITTER_STATE,
    WINDOW_GEOMETRY,
    WORK_LIST_COLUMNS,
    AppSettings,
    Setting,
)
from ui.unlock.panel import UnlockPanel
from ui.window_leaving import WindowLeaving
from ui.window_listing import keep_listing as _keep_listing
from ui.window_listing import keeping_failed as _keeping_failed
from ui.window_listing import relisted_rows as _relisted_rows

if TYPE_CHECKING:
    from datetime import date

    from PySide6.QtGui import QAction, QCloseEvent
    from PySide6.QtWidgets import QMenu

    from ui.reports.menu import ReportsMenu
    from ui.session import Session
    from ui.window_sync import WindowSync
    from ui.workspace.workspace import CaseWorkspace, Place, RefusedTexts

log = logging.getLogger(__name__)


class StartOptions(NamedTuple):  # not a dataclass: see ui.settings.Setting
    """What ``main.py`` decided: where the profile is, and test/demo knobs."""

    profile_dir: Path
    demo_passphrase: str | None = None
    kdf: Any = None  # storage.kdf.KdfParameters; None = tuned on this machine


class MainWindow(QMainWindow):
    unlocked = Signal()
    key_unwrapped = Signal()  # emitted on the unlock worker once the key is in (the page's bar stops moving)
    locked = Signal()
    # Made by ``ui.window_menus.create_actions``; the Go menu's step actions at the first unlock (``_case_actions``
    # also holds the preview and its print: each acts on the case shown).
    action_new: QAction
    action_list: QAction
    action_work: QAction
    action_settings: QAction
    action_passphrase: QAction
    action_lock: QAction
    action_preview: QAction
    action_follow_up: QAction
    action_print: QAction
    action_sync: QAction
    action_conflicts: QAction
    action_enroll: QAction
    action_shortcuts: QAction
    action_about: QAction
    menu_go: QMenu
    reports: ReportsMenu
    _session_actions: list[QAction]  # enabled while a profile is unlocked
    _case_actions: list[QAction]  # enabled while a case is shown
    _go_menu_filled: bool
    _lock_key_in_dialogs: bool  # Ctrl+L reaches the dialogs too (``window_menus.lock_key_in_dialogs``)

    def __init__(self, settings: AppSettings, options: StartOptions) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Hembesök")
        self.settings, self.options = settings, options
        self.session: Session | None = None
        self._unsaved: Any = None  # a HeldCase (ui.session): the open case whose last save failed before a lock
        self._new_case_draft: dict[str, str] | None = None  # a New case dialog closed by a lock
        self.settings_kept: dict[str, str] | None = None  # what Inställningar held when a lock closed it
        self._refused: Any = None  # RefusedTexts (ui.workspace.workspace): texts refused on screen at a lock
        self.sync: WindowSync | None = None
        self.workspace: CaseWorkspace | None = None
        self._place: Place | None = None
        self._job: Any = None
        self._upkeep_job: Any = None
        self._day_timer: Any = None  # the unlocked window's look at the calendar (``window_unlock._check_the_day``)
        self._day_listed: Any = None  # the day the lists were last read for by the upkeep
        self._relisting: object | None = None  # the read of the list after a sync while it runs (``_relist``)
        self._sync_letting_go: Any = None  # the sync job a lock stopped: the next session's first sync follows it
        self._closing: set[Any] = set()  # stores a lock left open until their workers let go (``_close_store``)
        self._after_closed: list[Callable[[], object]] = []  # what waits for them all to close (a restore)
        self._closed = False  # the window closed (quit): ``_close_store`` starts no worker any more
        self.leaving = WindowLeaving(self)  # the question before leaving a refused text (``ui.window_leaving``)
        self.opening = CaseOpening(self)  # the models and the workspace come in at the first case (``ui.case_opening``)
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.unlock_panel = UnlockPanel(self.stack)
        self.stack.addWidget(self.unlock_panel)
        self.case_list: Any = None
        self.save_indicator = QLabel(self)
        self.save_indicator.setObjectName("saveIndicator")
        self.statusBar().addPermanentWidget(self.save_indicator)
        window_menus.create_actions(self)
        self._lock_key_in_dialogs = False
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
        QTimer.singleShot(window_unlock.PRELOAD_DELAY_MS, window_unlock.start_preload)

    # --- menus and their dialogs: ``ui.window_menus`` ---------------------------------------------------------
    _enable_case_actions = window_menus.enable_case_actions
    _preview = window_menus.preview
    _report_passphrase_change = window_menus.report_passphrase_change

    # --- unlock / create: ``ui.window_unlock`` -----------------------------------------------------------------
    _show_unlock = window_unlock.show_unlock
    _unlock = window_unlock.unlock
    _create = window_unlock.create_and_open  # not "create": PySide looks a slot up by its name (QWidget.create)
    _restore = window_unlock.restore
    _unlock_failed = window_unlock.unlock_failed
    _opened = window_unlock.opened

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

    def _today(self) -> date:
        """The session's day now; before a session exists (the list is built while the key is derived), the clock it
        reads (``ui.session.calendar_day``)."""
        if self.session is not None:
            return self.session.today()
        from ui.session import calendar_day

        return calendar_day()

    def _build_case_list(self) -> None:
        """The case list page, empty until an unlocked session fills it: built on first use, or while the unlock
        worker derives the key (the UI thread waits then anyway, and the derivation does not hold the GIL)."""
        if self.case_list is not None:
            return
        from ibic.reference_files import load_list_reference  # cached: the labels the unlock worker read
        from ui.cases.case_list import CaseListPage

        self.case_list = CaseListPage(load_list_reference(), self.stack, today=self._today)
        self.case_list.case_activated.connect(self.open_case)
        self.case_list.work_activated.connect(self._open_work)
        self.case_list.new_case_requested.connect(self._new_case)
        self.stack.addWidget(self.case_list)
        self.opening.watch_first_touch([self.case_list.table, self.case_list.work.table])
        self._keep_column_choices()

    def _keep_column_choices(self) -> None:
        """The columns as the user left them (dragged widths, shown or hidden), kept with the other view settings."""
        from ui.cases.column_fit import ColumnChoices

        for fit, setting in ((self.case_list.column_fit, CASE_LIST_COLUMNS),
                             (self.case_list.work.column_fit, WORK_LIST_COLUMNS)):
            fit.choose(ColumnChoices.read(self.settings.get(setting), fit.keys))
            fit.changed.connect(partial(self._column_choices_changed, fit, setting))

    def _column_choices_changed(self, fit: Any, setting: Setting) -> None:
        self.settings.set(setting, fit.choices.text())

    def show_work_list(self) -> None:
        """Ctrl+T: the case list with the "Att göra" list focused."""
        self.show_case_list()
        if self.case_list is not None and self.stack.currentIndex() == self.stack.indexOf(self.case_list):
            self.case_list.focus_work()

    def _open_work(self, case_id: str, step: str, field: str) -> None:
        """Enter on an Att göra row: its case at the step where that work is done, focus in the field where its typing
        starts (``ui.cases.work_list``)."""
        self.open_case(case_id, step=step, field=field)

    def open_case(self, case_id: str, place: Place | None = None, refused: RefusedTexts | None = None,
                  step: str = "", field: str = "") -> None:
        """Open the case: at ``place`` (after a lock), else where its stored drafts were typed, else at ``step`` (an
        Att göra row's, focus in its ``field``, else its first), else at its first step."""
        if self.session is None or self.leaving.asked(lambda: self.open_case(case_id, place, refused, step, field)):
            return
        if not workspace_imported():  # the first case: opened once the models are in (``ui.case_opening``)
            session = self.session

            def go_on() -> bool:
                if self.session is not session:  # not after a lock meanwhile
                    return False
                self.open_case(case_id, place, refused, step, field)
                return self.workspace is not None and self.stack.currentWidget() is self.workspace

            self.opening.when_ready(go_on)
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
        elif (drafts := self.workspace.put_drafts_back()) is not None:  # after a kill, a crash, a session's end
            from ui.workspace.drafts import draft_notice

            self.statusBar().showMessage(draft_notice(drafts.cut, self.tr, drafts.elsewhere, drafts.gone), 120_000)
        elif step:  # where the row's work is done, focus where its typing starts (as Ctrl+1 … Ctrl+6: the first field)
            self.workspace.go_to_step(step, field)

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
        # Imported here, as before: keys typed after Ctrl+N wait for the dialog, not go to the list meanwhile (beside
        # the first case's worker, these imports wait for its own first: ``ui.import_gate``).
        from ui.cases.new_case_dialog import NewCaseDialog
        from ui.cases.new_case_draft import NewCaseDraftKeeper
        from ui.workspace.workspace import AUTOSAVE_DEBOUNCE_MS

        session = self.session
        dialog = NewCaseDialog(
            session.ref, session.caseworker, self.settings.get(ISSUING_UNIT), session.today(), session.profile.people,
            self,
        )
        keeper = dialog.keeper = NewCaseDraftKeeper(dialog, session.profile.new_case_draft, AUTOSAVE_DEBOUNCE_MS)
        keeper.offer(draft or None)  # what a lock kept in memory, else the stored draft (a kill, the session's end)
        accepted = dialog.exec()
        if self.session is not session:
            return  # a lock closed it (Ctrl+L reaches the dialog): its draft is kept and it reopens after the unlock
        keeper.timer.stop()
        # Out of the window's children now: a later lock or session end looks for an open dialog among them, and a
        # closed one found there wrote back the draft its Avbryt or OK had forgotten.
        dialog.setParent(None)
        dialog.deleteLater()
        if accepted and dialog.open_case_id is not None:
            keeper.forget()
            self.open_case(dialog.open_case_id)  # a known person's case, instead of a second person
            return
        if accepted and dialog.result_case is not None and dialog.result_person is not None:
            try:
                session.create_case(dialog.result_case, dialog.result_person)
            except StorageError as error:  # the draft stays: the next Nytt ärende offers the text again
                keeper.keep()  # as typed last: the debounce's timer went with the dialog
                from ui.session import OpenCase

                self._show_save_failed(error, OpenCase(dialog.result_case, dialog.result_person))  # not the open one
                return
            keeper.forget()
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

        profile, today = session.profile, session.today()
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
                    _keep_listing(profile, today)
                except Exception as error:  # the store is closed all the same; the next unlock lists in full
                    _keeping_failed(error)
                close()
                return
            run_in_background(self, lambda: _keep_listing(profile, today), lambda _kept: None,
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
        self.settings_kept = None
        self._refused = None
        self.session = None
        unfreeze()  # as at a lock: the session is gone
        self._show_unlock(locked=False)

    # --- errors and refused saves: ``ui.window_errors`` ---------------------------------------------------------
    _show_saved = window_errors.show_saved
    _workspace_save_failed = window_errors.workspace_save_failed
    _show_save_failed = window_errors.show_save_failed
    _say_save_refused = window_errors.say_save_refused
    _show_error = window_errors.show_error

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
                # Typed back after the unlock, which opens the case again, from the list too: a follow-up's planned
                # day typed, then Att göra (Ctrl+T) looked at and the idle lock, came back as today (s35-rui).
                self._refused = self.workspace.refused_texts()
                self._place = self.workspace.lock_place()  # with a request for underlag open, as typed
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

        # Their classes only if imported (no such dialog is open otherwise): a lock or a quit while the first case's
        # worker imports must import nothing (the new-case dialog brings the models: ``ui.case_opening``).
        new_case = imported_class("ui.cases.new_case_dialog", "NewCaseDialog")
        change_passphrase = imported_class("ui.unlock.change_passphrase", "ChangePassphraseDialog")
        settings = imported_class("ui.settings_dialog", "SettingsDialog")
        self.opening.cancel()  # a first case awaited is not opened after the unlock, nor the keys typed for it
        for dialog in self.findChildren(QDialog):
            if new_case is not None and isinstance(dialog, new_case) and self.session is not None:
                self._new_case_draft = dialog.draft()  # reopened with the same text after unlock
                dialog.set_aside()  # and kept in the file: a kill while locked loses none of it
            if settings is not None and isinstance(dialog, settings) and dialog.isVisible():
                self.settings_kept = dialog.typed()  # shown again as typed after the unlock (or Ctrl+, before it)
            if change_passphrase is not None and isinstance(dialog, change_passphrase):
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
        # A refused save's sentence names its person ("Gäller ärende … (…)"): said again after the unlock.
        self.statusBar().clearMessage()

    def end_session(self, _manager: object = None) -> None:
        """SIGTERM, SIGINT (``ui.app``) or the OS session's end (``commitDataRequest``): the close asks nothing. The
        texts the case does not hold are kept as drafts now: the session may end the program before its close."""
        self.leaving.end_session()
        if self.workspace is not None:
            self.workspace.drafts_keeper.keep()
        new_case = imported_class("ui.cases.new_case_dialog", "NewCaseDialog")  # not imported: none is open
        for dialog in self.findChildren(new_case) if new_case is not None else ():
            dialog.set_aside()  # the quit closes it next: that close is not the person's Avbryt

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
                QMessageBox.StandardButton.Cancel,  # Enter keeps what was typed: Stäng loses it
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
