"""Runs a sync off the UI thread and keeps a SyncStatus current; the window connects its signals.

The worker runs ``sync.client.engine.sync_now`` in a child process (``sync.child``; the window's) or itself
(``session_factory``, tests that replace the engine's parts); progress crosses to the UI thread through a queued signal.
When the server is unreachable or answers that it is busy the controller retries by itself (``retry_ms``) and at
once when the operating system reports the network back (QNetworkInformation, where the platform has a backend);
while online it syncs again every ``periodic_ms``, so a decision registered centrally reaches an open laptop without
a click. After any other failure (not "not enrolled") it also tries again after ``periodic_ms``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from storage.errors import ProfileLocked
from ui.common.worker import Job, run_in_background
from ui.sync.status import UNREACHED, SyncState, SyncStatus

_log = logging.getLogger(__name__)

DEFAULT_RETRY_MS = 60_000
DEFAULT_PERIODIC_MS = 10 * 60_000


class SyncCancelled(Exception):
    """Raised on the sync worker at its next progress report once the window locked: the run stops between two
    steps the engine can repeat (what the server answered but was not recorded is pushed again and settled once)."""


class SyncController(QObject):
    """``status_changed(SyncStatus)`` on every change; ``sync_failed(exception)`` for the window to explain;
    ``sync_finished(report)`` after a successful run (the case list refreshes then)."""

    status_changed = Signal(object)
    sync_failed = Signal(object)
    sync_finished = Signal(object)

    def __init__(
        self,
        profile: Any,
        session_factory: Callable[[], Any],
        parent: QObject | None = None,
        retry_ms: int = DEFAULT_RETRY_MS,
        periodic_ms: int = DEFAULT_PERIODIC_MS,
        before_sync: Callable[[], None] = lambda: None,
        enrolled: Callable[[], bool] | None = None,
        child: Any = None,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._session_factory = session_factory
        self._session: Any = None
        # A ``sync.child.ChildSync``: each run in a child process of its own (the window's); None runs the engine
        # on the worker itself with ``session_factory``'s session (tests that replace the engine's parts).
        self._child = child
        # The session's transport, once the worker has opened it: one list shared with ``stop``'s close, which may
        # run after this object is deleted (when the run the lock stopped lets go).
        self._opened: list[Any] = []
        self.running = False
        self._job: Job | None = None
        self._previous: Job | None = None  # a run a lock stopped, still ending on its worker (``follow``)
        self._after_previous = False
        # Locked (``stop``): no run starts any more (this object is deleted at the next turn), and the worker's run
        # stops at its next step; an Event, as the worker reads it.
        self._locked = threading.Event()
        # Never connected is a state of its own from the start: not "not synced yet" with a button that can only
        # fail (issue 12). A sync started anyway (a test's session factory) still runs.
        self._enrolled = enrolled or (lambda: _has_credentials(profile))
        self.status = SyncStatus(state="idle" if self._enrolled() else "not_enrolled")
        self._logged = ""  # the unreached state last written to the log: a retry a minute that meets it again is not
        self._retry_ms, self._periodic_ms = retry_ms, periodic_ms
        self._before_sync = before_sync  # the window saves the open case first, on the UI thread
        self._next = QTimer(self)  # the next automatic run: a retry while offline, else the periodic sync
        self._next.setSingleShot(True)
        self._next.timeout.connect(self.sync_now)
        self.refresh_counts()

    def next_sync_in_ms(self) -> int | None:
        """Milliseconds until the next automatic run, None when none is planned."""
        return self._next.remainingTime() if self._next.isActive() else None

    def watch_network(self) -> bool:
        """Sync as soon as the system says the network is back; False where the platform cannot tell."""
        from PySide6.QtNetwork import QNetworkInformation

        if not QNetworkInformation.loadDefaultBackend():
            return False
        info = QNetworkInformation.instance()
        if info is None:
            return False
        info.reachabilityChanged.connect(self.network_changed)
        return True

    def network_changed(self, reachability: Any) -> None:
        """A reachability report from the system: when it says online and we were offline, try now."""
        from PySide6.QtNetwork import QNetworkInformation

        online = reachability in (QNetworkInformation.Reachability.Online, QNetworkInformation.Reachability.Site)
        if online and self.status.state in (*UNREACHED, "server_error", "failed"):
            self.sync_now()

    def _set(self, status: SyncStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    def refresh_counts(self) -> None:
        """Re-read waiting changes, conflicts and records put aside from the profile (after every save, a resolved
        conflict, a sync), so the status bar is true between syncs too."""
        try:
            pending, conflicts = self._profile.journal.pending_count(), len(self._profile.sync.conflicts())
            aside = self._profile.sync.quarantined()
        except ProfileLocked:
            return  # locked meanwhile (idle lock, wipe): the counts are shown again after unlocking
        self._set(replace(self.status, pending=pending, conflicts=conflicts, not_received=len(aside),
                          not_received_reason=aside[0].reason if aside else ""))

    def enrolled_now(self) -> None:
        """Enrollment just stored the credentials: no longer "not connected" (the first sync follows)."""
        if self.status.state == "not_enrolled":
            self._set(replace(self.status, state="idle"))

    def sync_now(self) -> None:
        """Start a sync unless one is running (button, Ctrl+Shift+S, the retry timer)."""
        if self.running or self._after_previous or self._locked.is_set():
            return
        if self._previous is not None and self._previous.running:
            # Two runs side by side would push and apply the same changes on two connections: start after it.
            self._after_previous = True
            self._previous.then(self._previous_ended)
            return
        self._before_sync()
        self.running = True
        self._next.stop()
        self._set(replace(self.status, state="syncing", progress_done=0, progress_total=0, phase=""))
        self._job = run_in_background(self, self._work, self._on_done, self._on_error, self._on_progress,
                                      holds=self._profile)

    def follow(self, previous: Job | None) -> None:
        """``previous`` is the run of the session before (stopped by a lock) and may still be ending: this
        controller's first run waits for it."""
        self._previous = previous

    def _previous_ended(self) -> None:
        self._after_previous = False
        if isValid(self):  # locked again meanwhile: this controller is gone, or stopped (``sync_now``)
            self.sync_now()

    def stop(self) -> Job | None:
        """At lock: no more automatic runs, and a running one stops at its next step; returns that run's job (its
        worker may still use the store until it lets go: ``Job.then``), or None. No run starts after it (the
        session before's run may end before this object is deleted, and its end starts the run waiting for it)."""
        self._locked.set()
        self._next.stop()
        if self._child is not None:
            self._child.stop()  # killed mid-step: SQLite drops its open transaction, the next run repeats the step
        _stop_retrying(self._session)  # a run waiting for a dead network stops at its next attempt, not after all
        job = self._job
        running = job if job is not None and job.running else None
        opened = self._opened

        def close() -> None:  # its sockets now, not when the session is garbage-collected
            for session in opened:
                _close(session)

        if running is None:
            close()
        else:
            running.then(close)  # the worker may open the session or be in a request still
        return running

    def _work(self, report: Callable[[Any], None]) -> Any:
        """On the worker: the whole run; never touches this QObject (it may be deleted meanwhile)."""
        locked = self._locked

        def progress(value: Any) -> None:
            if locked.is_set():
                raise SyncCancelled()
            report(value)

        if self._child is not None:
            return self._child.run(self._profile, progress)
        from sync.client.engine import sync_now  # httpx loads on first sync, not at start-up

        if self._session is None:
            self._session = self._session_factory()
            self._opened.append(self._session)
            if locked.is_set():  # the lock came while it was opened: ``stop`` did not see it
                _stop_retrying(self._session)
        return sync_now(self._session, self._profile, progress=progress)

    def _on_progress(self, progress: Any) -> None:
        self._set(
            replace(
                self.status,
                state="syncing",
                phase=progress.phase,
                progress_done=progress.done,
                progress_total=progress.total,
            )
        )

    def _on_done(self, report: Any) -> None:
        self.running = False
        not_received = list(getattr(report, "not_received", []))
        self._set(replace(self.status, state="idle", last_synced_at=report.finished_at or datetime.now(UTC),
                          not_received=len(not_received),
                          not_received_reason=not_received[0][1] if not_received else ""))
        self.refresh_counts()
        self._next.start(self._periodic_ms)
        self._logged = ""
        self.sync_finished.emit(report)

    def _on_error(self, error: BaseException) -> None:
        from sync.errors import (
            ChildFailed,
            DeviceRevoked,
            NotASyncServer,
            NotEnrolled,
            NothingListening,
            Offline,
            ServerBusy,
            ServerTimedOut,
            ServerUnavailable,
        )

        self.running = False
        if isinstance(error, SyncCancelled) or (isinstance(error, Offline | ChildFailed) and self._locked.is_set()):
            return  # stopped by a lock (at a step, its retries, its child killed): the next unlock syncs
        if isinstance(error, Offline | ServerUnavailable):
            # Reached but busy is said as such (the status bar's "Server busy"), retried alike; so are a refused
            # connection and a server that did not answer in time (the server may be restarting).
            state: SyncState = (
                "busy" if isinstance(error, ServerBusy) else "server_error" if isinstance(error, ServerUnavailable)
                else "no_server" if isinstance(error, NothingListening)
                else "no_answer" if isinstance(error, ServerTimedOut) else "offline")
            self._set(replace(self.status, state=state))
            # Busy: not before the server's Retry-After (capped at an hour: a retry is never put off for a day).
            asked_ms = min(error.retry_after, 3600) * 1000 if isinstance(error, ServerBusy) else 0
            self._next.start(max(self._retry_ms, asked_ms))
        elif isinstance(error, NotEnrolled):
            self._set(replace(self.status, state="not_enrolled"))
        elif isinstance(error, NotASyncServer):
            self._set(replace(self.status, state="wrong_server"))  # tried again at the periodic interval, below
        else:
            self._set(replace(self.status, state="failed"))
        self._log_unreached(error)
        wiped = isinstance(error, DeviceRevoked) and error.wiped
        if self.status.state in ("failed", "wrong_server") and not wiped:
            # One odd answer (a 5xx after the retries, a rejected request) must not stop automatic sync on a
            # laptop left open all day: try again at the periodic interval, as after a successful run.
            self._next.start(self._periodic_ms)
        if not wiped:
            self.refresh_counts()
        self.sync_failed.emit(error)


    def _log_unreached(self, error: BaseException) -> None:
        """One English line for IT when the sync stops reaching the server, or reaches it otherwise than before (a
        server answering errors at every attempt too: "Serverfel" had none, however long it lasted): which way it
        failed and the server's origin (``SyncError.server``: scheme, host, port; no token, no case)."""
        state = self.status.state
        if state not in _UNREACHED_LOG or state == self._logged:
            return
        self._logged = state
        told = {"action": "sync", "error_type": type(error).__name__,
                "server": getattr(error, "server", "") or "unknown"}
        if isinstance(getattr(error, "status", None), int):  # the HTTP status a wrong server answered with
            told["status"] = error.status  # type: ignore[attr-defined]
        _log.warning(_UNREACHED_LOG[state], extra=told)


# The log's line for each way the sync did not reach the sync server, or reached a server that
# answered only errors (``_log_unreached``).
_UNREACHED_LOG = {
    "offline": "sync failed: no connection to the server (no network, or its name not found)",
    "no_server": "sync failed: nothing listens at the server's address (connection refused)",
    "no_answer": "sync failed: the server took the connection but did not answer in time",
    "wrong_server": "sync failed: the address answers, but not as a Hembesök sync server",
    "server_error": "sync failed: the server answered with errors (5xx or 429) at every attempt",
}


def _stop_retrying(session: Any) -> None:
    """Stop the retries of ``session``'s transport, if it has one yet (a test's session may have none)."""
    transport = getattr(session, "transport", None)
    if transport is not None:
        transport.stop_retrying()


def _close(session: Any) -> None:
    """Close ``session``'s transport, if it has one (a test's session may have none)."""
    transport = getattr(session, "transport", None)
    if transport is not None:
        transport.close()


def _has_credentials(profile: Any) -> bool:
    """Whether this profile was ever enrolled (its device credentials are stored)."""
    from sync.client.credentials import CredentialStore

    try:
        return CredentialStore(profile).load() is not None
    except ProfileLocked:
        return True  # locked meanwhile: the state is read again at the next unlock
