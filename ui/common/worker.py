"""Run a plain function off the UI thread and deliver its result to a callback owned by a widget.

The worker thread touches no QObject but one that lives as long as the application (``_Dispatcher``), and drops
no reference that could be the last one to anything of the UI: what the job holds (the function, its closure, the
result or the error) is handed back and dropped on the UI thread. So an owner deleted mid-run (a lock deletes the
sync controller, a closed preview its dialog) is never deleted, nor emitted into, by the worker: "QObject::~QObject:
Timers cannot be stopped from another thread" and a signal into a freed object were both seen when the worker held
the last reference or emitted on a child of the owner.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from queue import Empty, SimpleQueue
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal
from shiboken6 import isValid


class _Signals(QObject):
    """The job's face on the UI thread, a child of its owner: emitted only on the UI thread."""

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)


class _Dispatcher(QObject):
    """Made at the first use and kept for the application's life: workers post to its queue and wake it; it runs
    what they posted on the UI thread."""

    arrived = Signal()

    def __init__(self) -> None:
        super().__init__()
        # The first use may be a worker's (``emit_while_alive`` from a thread that is not a job): made there, it
        # would belong to that thread, which runs no event loop, and nothing posted would ever run.
        application = QCoreApplication.instance()
        if application is not None:
            self.moveToThread(application.thread())
        self._inbox: SimpleQueue[Callable[[], None]] = SimpleQueue()
        self.arrived.connect(self.drain, Qt.ConnectionType.QueuedConnection)

    def post(self, call: Callable[[], None]) -> None:
        """From any thread: ``call`` runs on the UI thread."""
        self._inbox.put(call)
        self.arrived.emit()

    def drain(self) -> None:
        """Run everything posted so far (also called directly once the pool is done, at quit), each call whatever
        the one before met."""
        _call_each(self._posted())

    def _posted(self) -> Iterator[Callable[[], None]]:
        while True:
            try:
                yield self._inbox.get_nowait()
            except Empty:
                return


def _call_each(calls: Iterable[Callable[[], object]]) -> None:
    """Call every one of ``calls`` whatever another raised (a store's close failing must not leave the next
    session's sync waiting for good, nor another store open at quit), then raise the first error: from a slot it
    reaches ``sys.excepthook`` (the incident message)."""
    first: BaseException | None = None
    for call in calls:
        try:
            call()
        except BaseException as error:
            first = first or error
    if first is not None:
        raise first


_dispatcher: _Dispatcher | None = None
# The pool's threads mostly wait (a sync on the network, the unlock on the key helper process): Qt sizes the global
# pool by cores, one on a single-core machine or a process bound to one core, and an unlock after a lock then
# queued behind the stopped sync's request until it was answered.
MIN_POOL_THREADS = 4


_made = threading.Lock()  # two threads' first uses make one dispatcher


def _the_dispatcher() -> _Dispatcher:
    global _dispatcher
    with _made:
        if _dispatcher is None:
            _dispatcher = _Dispatcher()
            pool = QThreadPool.globalInstance()
            pool.setMaxThreadCount(max(pool.maxThreadCount(), MIN_POOL_THREADS))
            # A process ending with a job still running (a script, a test run; ui.app.run waits itself) waited
            # for it anyway, in Qt's pool, but after PySide's exit clean-up had deleted the dispatcher: the job
            # raised "Signal source has been deleted" on its thread and what it opened (a store) stayed open.
            # Registered after PySide's own exit handler, this runs before it.
            atexit.register(deliver_finished_jobs)
        return _dispatcher


class Job:
    """A function running on the global pool. ``finished``/``failed``/``progressed`` are emitted on the UI thread
    while the owner lives; ``running`` is true until the worker has let go of everything the function used."""

    def __init__(self, owner: QObject, function: Callable[..., Any], reports: bool = False,
                 holds: object = None, unclaimed: Callable[[Any], object] | None = None) -> None:
        self._signals = _Signals(owner)
        self.holds = holds  # what the function uses that must not be closed under it (``when_let_go``)
        self._unclaimed = unclaimed  # releases a result no callback takes (``run_in_background``)
        self.finished, self.failed, self.progressed = (
            self._signals.finished, self._signals.failed, self._signals.progressed)
        self.running = True
        self._reports = reports
        # The worker reads this list and adds the outcome; only the UI thread empties it (``_deliver``).
        self._held: list[Any] = [function]
        self._then: list[Callable[[], object]] = []
        self._dispatcher = _the_dispatcher()

    def start(self) -> Job:
        _running.add(self)
        QThreadPool.globalInstance().start(self._run)
        return self

    def then(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` on the UI thread once the worker has let go (at once if it has), whether or not the
        owner still lives: what the function used (the store) may be closed then."""
        if self.running:
            self._then.append(callback)
        else:
            callback()

    def report(self, value: Any) -> None:
        """From the worker: ``progressed(value)`` on the UI thread (nothing once the owner is gone)."""
        self._dispatcher.post(lambda: self._emit(self.progressed, value))

    def _run(self) -> None:
        held = self._held
        try:  # held[0] is the function: the list keeps it (and the outcome) alive past this thread's references
            held.append((True, held[0](self.report) if self._reports else held[0]()))
        except BaseException as error:  # delivered to the UI, which maps it to a Swedish message
            held.append((False, error))
        self._dispatcher.post(self._deliver)

    def _deliver(self) -> None:
        ok, value = self._held[1]
        self._held.clear()
        self.running = False
        _running.discard(self)
        then, self._then = self._then, []
        try:
            # After the event loop no window acts on a result (an unlock would open a session).
            delivered = not _quitting and isValid(self._signals)
            if delivered:
                (self.finished if ok else self.failed).emit(value)
            elif ok and self._unclaimed is not None:
                self._unclaimed(value)  # e.g. the store an unlock opened, at quit: closed, not left to the collector
        finally:  # whatever the owner's callback met, what waits for the worker (a lock's close) still runs
            # The callbacks are let go: their face is a child of an owner that may live as long as the app (the
            # window: its upkeep's callbacks hold the session, every past session was kept until quit).
            if isValid(self._signals):
                self._signals.deleteLater()
            self.holds = None
            _call_each(then)

    def _emit(self, signal: Any, value: Any) -> None:
        if isValid(self._signals):
            signal.emit(value)


_running: set[Job] = set()  # started and not yet delivered; only the UI thread changes it
_quitting = False


def when_let_go(held: object, callback: Callable[[], object]) -> None:
    """On the UI thread: ``callback()`` once no running job holds ``held`` (at once when none does), e.g. close the
    store only after every worker using it let go."""
    waiting = {job for job in _running if job.holds is held}

    def let_go(job: Job) -> None:
        waiting.discard(job)
        if not waiting:
            callback()

    for job in list(waiting):
        job.then(partial(let_go, job))
    if not waiting:
        callback()


def emit_while_alive(sender: QObject, signal: Any, *values: Any) -> None:
    """From a worker thread: emit ``signal`` of ``sender`` on the UI thread unless ``sender`` has been deleted by
    then (then nobody waits for it)."""

    def emit() -> None:
        if isValid(sender):
            signal.emit(*values)

    _the_dispatcher().post(emit)


def run_in_background(
    owner: QObject,
    function: Callable[..., Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_progress: Callable[[Any], None] | None = None,
    *,
    holds: object = None,
    unclaimed: Callable[[Any], object] | None = None,
) -> Job:
    """Run ``function`` on the global pool; callbacks run on the UI thread while ``owner`` lives. With
    ``on_progress``, ``function`` is called with a ``report(value)`` callable that reaches it on the UI thread.
    ``holds`` names what it uses that a lock must not close under it (the profile: ``when_let_go``).
    ``unclaimed(result)`` runs on the UI thread instead of ``on_done`` when no one takes the result (the app quit
    while it ran, or ``owner`` is gone): what the result holds open (a store) is closed there."""
    job = Job(owner, function, reports=on_progress is not None, holds=holds, unclaimed=unclaimed)
    job.finished.connect(on_done)
    job.failed.connect(on_error)
    if on_progress is not None:
        job.progressed.connect(on_progress)
    return job.start()


def deliver_finished_jobs() -> None:
    """At quit, after the event loop: wait for the pool, then deliver what its jobs posted (a lock waiting for the
    sync worker closes the store then); the owners' callbacks are not called any more."""
    global _quitting
    _quitting = True
    try:
        QThreadPool.globalInstance().waitForDone()
        if _dispatcher is not None:
            _dispatcher.drain()
    finally:
        _quitting = False  # (a test's process goes on)
