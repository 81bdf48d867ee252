"""Work run off the UI thread (``ui.common.worker``) never deletes, nor emits into, a Qt object of the UI: an owner
whose last reference is its job's function is deleted on the UI thread, and a job whose owner is deleted mid-run
reports nothing and still says when its worker let go."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal

from ui.common.worker import run_in_background


class _Owner(QObject):
    """Like a SyncController: a timer of its own, and its job's function a bound method of it."""

    def __init__(self, deleted_on: list[str], gate: threading.Event) -> None:
        super().__init__()
        self._gate = gate
        self._timer = QTimer(self)
        self._timer.start(60_000)
        self.destroyed.connect(lambda: deleted_on.append(threading.current_thread().name),
                               Qt.ConnectionType.DirectConnection)

    def work(self) -> int:
        self._gate.wait(timeout=60)
        return 1


def _qt_warnings(qtlog: Any) -> list[str]:
    return [r.message for r in qtlog.records if "thread" in r.message or "QObject" in r.message]


def test_an_owner_whose_last_reference_is_its_job_is_deleted_on_the_ui_thread(qtbot: Any, qtlog: Any) -> None:
    deleted_on: list[str] = []
    gate = threading.Event()
    owner = _Owner(deleted_on, gate)
    run_in_background(owner, owner.work, lambda _result: None, lambda _error: None)
    del owner  # the job's function (a bound method) is now the only reference
    gate.set()
    qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() == 0 and bool(deleted_on),
                    timeout=30_000)
    assert deleted_on == [threading.main_thread().name]
    assert not _qt_warnings(qtlog)


def test_a_job_whose_owner_is_deleted_mid_run_reports_nothing_and_lets_go(qtbot: Any, qtlog: Any) -> None:
    deleted_on: list[str] = []
    delivered: list[object] = []
    let_go: list[str] = []
    gate = threading.Event()
    owner = _Owner(deleted_on, gate)
    job = run_in_background(owner, owner.work, delivered.append, delivered.append)
    job.then(lambda: let_go.append(threading.current_thread().name))
    owner.deleteLater()
    qtbot.waitUntil(lambda: bool(deleted_on))  # deleted on the UI thread while the worker waits
    gate.set()
    qtbot.waitUntil(lambda: not job.running, timeout=30_000)
    assert delivered == [] and let_go == [threading.main_thread().name]
    assert deleted_on == [threading.main_thread().name]
    assert not _qt_warnings(qtlog)


def test_what_a_running_job_holds_is_released_only_after_its_worker_let_go(qtbot: Any) -> None:
    """A lock closes the store through ``when_let_go``: never while a job using it (sync, upkeep, enrollment,
    passphrase change) still runs."""
    from ui.common.worker import when_let_go

    store, other = object(), object()
    gate = threading.Event()
    owner = QObject()
    job = run_in_background(owner, lambda: gate.wait(timeout=60), lambda _r: None, lambda _e: None, holds=store)
    closed: list[str] = []
    when_let_go(other, lambda: closed.append("other"))
    when_let_go(store, lambda: closed.append("store"))
    assert closed == ["other"]  # nothing holds it: at once
    gate.set()
    qtbot.waitUntil(lambda: not job.running, timeout=30_000)
    assert closed == ["other", "store"]


class _Sender(QObject):
    said = Signal()


def test_a_report_from_a_plain_thread_before_any_job_reaches_the_ui_thread(qtbot: Any, monkeypatch: Any) -> None:
    """``emit_while_alive`` may be the first use of the dispatcher, from a thread that is not a job (the unlock
    worker's key report is one today, after its job made it): what it posts still runs on the UI thread."""
    from ui.common import worker

    monkeypatch.setattr(worker, "_dispatcher", None)
    sender = _Sender()
    heard: list[str] = []
    sender.said.connect(lambda: heard.append(threading.current_thread().name))
    thread = threading.Thread(target=lambda: worker.emit_while_alive(sender, sender.said), name="not-a-job")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(heard), timeout=10_000)
    assert heard == [threading.main_thread().name]
