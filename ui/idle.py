"""An application-wide inactivity timer: any key, click, wheel or pointer movement restarts it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent


def _activity() -> frozenset[QEvent.Type]:
    """The events that count as activity. Built when the filter is put on, not at import: ``QEvent`` is created
    with its enum of ~180 event types (a few ms), which the unlock page does not need before it is painted."""
    kind = QtCore.QEvent.Type
    return frozenset({kind.KeyPress, kind.MouseButtonPress, kind.MouseMove, kind.Wheel, kind.TouchBegin})


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without input, once ``watch_application`` has put it on the application."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._watching = False
        self._activity: frozenset[QEvent.Type] = frozenset()
        self.set_minutes(minutes)

    def watch_application(self) -> None:
        """Let every key, click and movement anywhere restart the timer (once; later calls do nothing).

        The window calls this while the key is derived, and at the latest at unlock: the first event a Python
        filter on the application sees makes the binding create every Qt class it has not created yet (about
        60 ms), which must delay neither the unlock page nor the case list (nor the preload while the passphrase is
        typed). Before unlock there is nothing to lock.
        """
        app = QCoreApplication.instance()
        if self._watching or app is None:
            return
        self._activity = _activity()
        app.installEventFilter(self)
        self._watching = True

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(max(1, int(minutes * 60_000)))

    def set_interval_ms(self, milliseconds: int) -> None:
        """For tests: a short timeout without touching the user's setting."""
        self._timer.setInterval(milliseconds)

    @property
    def watching(self) -> bool:
        """True once key presses and clicks anywhere in the application restart the timer."""
        return self._watching

    def remaining_ms(self) -> int:
        """How long until the lock, or -1 when the timer is not running."""
        return self._timer.remainingTime()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._activity and self._timer.isActive():
            self._timer.start()
        return False
