"""Sync for one unlocked session of the main window: status bar widget, Ctrl+Shift+S, conflicts, enrollment.

Built when the profile is unlocked and torn down on lock, so no sync object outlives the key. The sync itself
runs on a worker (``ui.sync.controller``); this module only connects it to the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMainWindow

from sync.timeouts import Timeouts
from ui import i18n
from ui.common.worker import Job
from ui.errors import sync_message
from ui.settings import (
    PINNED_CA_FILE,
    SERVER_URL,
    SYNC_ANSWER_SECONDS,
    SYNC_CONNECT_SECONDS,
    SYNC_RETRY_SECONDS,
    AppSettings,
)
from ui.sync.controller import SyncController
from ui.sync.status_widget import SyncStatusWidget

if TYPE_CHECKING:
    from ui.session import Session


class WindowSync(QObject):
    """``profile_wiped`` when IT revoked the device and the local profile is gone."""

    profile_wiped = Signal()
    data_changed = Signal()  # a sync pulled or resolved something: lists and open forms should re-read

    def __init__(
        self, window: QMainWindow, session: Session, settings: AppSettings, show_message: Callable[[str], None],
        before_sync: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__(window)
        self._window, self._session, self._settings = window, session, settings
        self._stopped = False  # ``stop``: a lock detached it (a dialog's exec() it opened may return after)
        self._show_message = show_message
        self._save_open_case = before_sync
        self._watching = False  # the controller hears the system's network reports (from the first failed sync)
        self._ca_file = ""  # the pinned certificate's setting, read on this thread before each sync (see _before_sync)
        self._timeouts = Timeouts()  # the same for how long the sync waits
        self._enrollment: Any = None  # the enrollment dialog while it is shown: a lock stops its requests (``stop``)
        self.widget = SyncStatusWidget(window)
        window.statusBar().addPermanentWidget(self.widget)
        child = _child(lambda: self._ca_file, lambda: self._timeouts)
        self.controller = SyncController(session.profile, self._open_session, parent=self,
                                         before_sync=self._before_sync, child=child)
        self.controller.status_changed.connect(self.widget.set_status)
        self.widget.set_status(self.controller.status)
        self.widget.sync_requested.connect(self.controller.sync_now)
        self.widget.conflicts_requested.connect(self.show_conflicts)
        self.widget.enroll_requested.connect(self.enroll)
        self.controller.sync_failed.connect(self._failed)
        self.controller.sync_finished.connect(self._finished)

    def _before_sync(self) -> None:
        """On the UI thread as a sync starts: what the worker needs from the settings is read here, since a QSettings
        object is not safe to use from two threads (the UI thread reads and writes the same one meanwhile)."""
        self._ca_file = self._settings.get(PINNED_CA_FILE)
        self._timeouts = timeouts_set(self._settings)
        self._save_open_case()

    def _open_session(self) -> Any:
        """Run on the sync worker (the first sync): never touches the settings (``_before_sync``)."""
        from sync.client.engine import open_session

        ca_file = self._ca_file
        return open_session(self._session.profile, ca_file=Path(ca_file) if ca_file else None,
                            timeouts=self._timeouts)

    def start(self) -> None:
        """Sync once at unlock when a server is configured; the controller retries while offline."""
        self.controller.refresh_counts()
        if self._settings.get(SERVER_URL) and self.controller.status.state != "not_enrolled":
            self.controller.sync_now()

    def sync_now(self) -> None:
        """Ctrl+Shift+S: sync; never connected, connect first (a sync could only fail)."""
        if self.controller.status.state == "not_enrolled":
            self.enroll()
        else:
            self.controller.sync_now()

    def saved(self) -> None:
        self.controller.refresh_counts()

    def show_conflicts(self) -> None:
        # Here, as the dialog: the unlocked list holds no model (issue 14).
        from ibic.field_labels import field_label, value_label
        from ui.sync.conflict_dialog import ConflictDialog  # here: the window holds none of it until it is shown

        profile = self._session.profile
        labels = {s.case_id: s.case_number for s in self._session.summaries()}
        ref, language = self._session.ref, i18n.language()
        ConflictDialog(
            profile.sync.conflicts(), profile.sync.resolve_conflict, case_labels=labels, parent=self._window,
            field_label=lambda path: field_label(path, ref, language),
            value_label=lambda path, value: value_label(path, value, ref, language),
        ).exec()
        if self._stopped:
            return  # a lock closed the dialog and stopped this sync: the unlock counts again
        self.controller.refresh_counts()
        self.data_changed.emit()

    def enroll(self) -> None:
        from ui.sync.enrollment_dialog import EnrollmentDialog

        dialog = EnrollmentDialog(
            self._session.profile, self._settings.get(SERVER_URL), self._settings.get(PINNED_CA_FILE), self._window,
            timeouts=timeouts_set(self._settings),
        )
        dialog.enrolled.connect(self._enrolled)
        self._enrollment = dialog
        try:
            dialog.exec()
        finally:
            self._enrollment = None

    def _enrolled(self, _session: Any) -> None:
        self.controller.enrolled_now()
        self.controller.sync_now()

    def _finished(self, report: Any) -> None:
        notes: list[str] = []
        if report.rejected:
            # Refused edits stay on this computer only: say so, never let them look synced.
            notes.append(self.tr("%n change(s) were refused by the server and are not synced.", "", report.rejected))
        if report.withdrawn_removed:
            notes.append(self.tr("%n case(s) moved to another handläggare were removed from this computer.", "",
                                 report.withdrawn_removed))
        elif report.withdrawn_kept:
            notes.append(self.tr("%n case(s) moved to another handläggare stay here until their changes are "
                                 "synced.", "", report.withdrawn_kept))
        if notes:
            self._show_message(" ".join(notes))
        if _brought_anything(report):
            self.data_changed.emit()

    def _failed(self, error: BaseException) -> None:
        from sync.errors import DeviceRevoked

        if not self._watching:
            # Only now: the reports matter only to a controller that is offline or failed, which is what a failed
            # sync leaves (QtNetwork and the system's backend: ~7 MiB resident, never loaded while syncs succeed).
            self._watching = True
            self.controller.watch_network()
        self._show_message(sync_message(error, self.controller.status.conflicts))  # counted before this signal
        if isinstance(error, DeviceRevoked) and error.wiped:
            self.profile_wiped.emit()

    def stop(self) -> Job | None:
        """Detach from the window (on lock): the widget goes, the controller stops retrying and a running sync stops
        at its next step, an enrollment under way at once; returns that sync's job while its worker still uses the
        store (``Job.then``)."""
        self._stopped = True
        running = self.controller.stop()
        if self._enrollment is not None:
            self._enrollment.stop()
        self._window.statusBar().removeWidget(self.widget)
        self.widget.setParent(None)
        self.widget.deleteLater()
        self.controller.deleteLater()
        self.deleteLater()
        return running


# Each sync in a child process (``sync.child``): httpx, ``ssl`` and the engine never load in the window's process.
SYNC_IN_CHILD = True


def _child(ca_file: Callable[[], str], timeouts: Callable[[], Timeouts]) -> Any:
    if not SYNC_IN_CHILD:
        return None
    from sync.child import ChildSync

    return ChildSync(ca_file, timeouts)


def timeouts_set(settings: AppSettings) -> Timeouts:
    """How long a sync or a connection waits, as set (on the UI thread: see ``WindowSync._before_sync``)."""
    return Timeouts(settings.get(SYNC_CONNECT_SECONDS), settings.get(SYNC_ANSWER_SECONDS),
                    settings.get(SYNC_RETRY_SECONDS))


def _brought_anything(report: Any) -> bool:
    """Whether a sync changed what the list or an open case shows (pending and conflict marks, pulled or withdrawn
    cases, records set aside). A sync that only sent audit entries changed nothing there: re-reading 10,000 cases
    after it cost the UI thread the whole listing and kept ~MiB of the heap for nothing."""
    return any(getattr(report, name, True) for name in _WHAT_A_SYNC_BRINGS)  # a count it lacks: read again


_WHAT_A_SYNC_BRINGS = ("pushed", "pulled", "pulled_applied", "conflicts", "rejected", "withdrawn_removed",
                       "withdrawn_kept", "not_received")
