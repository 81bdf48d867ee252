"""An application-wide inactivity timer: any key, click, wheel or pointer movement restarts it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without input; install on the QApplication."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(max(1, int(minutes * 60_000)))

    def set_interval_ms(self, milliseconds: int) -> None:
        """For tests: a short timeout without touching the user's setting."""
        self._timer.setInterval(milliseconds)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False
