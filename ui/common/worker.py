"""Run a plain function off the UI thread and deliver its result to a callback owned by a widget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from shiboken6 import isValid


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, function: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self._function = function
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._function()
        except BaseException as exc:  # delivered to the UI, which maps it to a Swedish message
            self._deliver(self._signals.failed, exc)
        else:
            self._deliver(self._signals.finished, result)

    def _deliver(self, signal: Any, value: Any) -> None:
        """Emit unless the owner is gone: a lock deletes the sync controller while its run is still going, and
        then nobody waits for the answer."""
        emit_while_alive(self._signals, signal, value)


def emit_while_alive(sender: QObject, signal: Any, *values: Any) -> None:
    """From a worker thread: emit ``signal`` of ``sender`` unless ``sender`` has been deleted meanwhile (then nobody
    waits for it, and emitting would raise in this thread, where no one can handle it)."""
    if not isValid(sender):
        return
    try:
        signal.emit(*values)
    except RuntimeError:
        if isValid(sender):
            raise  # not the deleted sender: a real error


def run_in_background(
    owner: QObject,
    function: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
) -> _Signals:
    """Run ``function`` on the global pool; callbacks run on the UI thread while ``owner`` lives."""
    signals = _Signals(owner)
    signals.finished.connect(on_done)
    signals.failed.connect(on_error)
    QThreadPool.globalInstance().start(_Job(function, signals))
    return signals
