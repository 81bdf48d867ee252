"""An application-wide inactivity timer: any key, click, wheel or pointer movement restarts it.

A laptop put to sleep unlocked must be locked when it wakes, however few of the idle minutes had passed before:
Qt's timers count monotonic time, which stands still while the machine sleeps (CLOCK_MONOTONIC on Linux), so the
lock would come that many minutes after the lid is opened. The idle time is therefore also counted on a clock
that runs through sleep (``sleep_counting_seconds``), looked at every ``GUARD_MS`` while unlocked and before any
input is taken as activity: the first key pressed after waking locks instead of keeping the session open.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent


GUARD_MS = 2_000  # how soon after waking the lock comes at the latest, with no key pressed


_BOOTTIME: int | None = getattr(time, "CLOCK_BOOTTIME", None)  # not on Windows or macOS


def sleep_counting_seconds() -> float:
    """Seconds on a clock that runs while the machine sleeps: CLOCK_BOOTTIME where there is one (Linux; monotonic,
    so setting the wall clock moves nothing), else the wall clock (which a change of the time can move forward: the
    lock then comes early, never late)."""
    return time.clock_gettime(_BOOTTIME) if _BOOTTIME is not None else time.time()


def _activity() -> frozenset[QEvent.Type]:
    """The events that count as activity. Built when the filter is put on, not at import: ``QEvent`` is created
    with its enum of ~180 event types (a few ms), which the unlock page does not need before it is painted."""
    kind = QtCore.QEvent.Type
    # A shortcut's key comes as ShortcutOverride only: Qt hands the KeyPress to the shortcut before any filter sees
    # it, so Ctrl+E, Ctrl+L and F6 pressed one after the other were no activity before.
    return frozenset({kind.KeyPress, kind.KeyRelease, kind.ShortcutOverride, kind.MouseButtonPress,
                      kind.MouseButtonRelease, kind.MouseButtonDblClick, kind.MouseMove, kind.Wheel, kind.TouchBegin,
                      kind.TouchUpdate, kind.TouchEnd})


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without input, once ``watch_application`` has put it on the application."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._time_out)
        self._guard = QTimer(self)  # the same idle time on a clock that counts sleep (the module's docstring)
        self._guard.setInterval(GUARD_MS)
        self._guard.timeout.connect(self._check_slept)
        self._since = sleep_counting_seconds()
        self._locking = False  # input swallowed between waking's first input and the lock it asks for
        self._watching = False
        self._activity: frozenset[QEvent.Type] = frozenset()
        self._shortcut_override: QEvent.Type | None = None
        # Put back on the application at the event loop's next turn, after an input took it off (``_rest``).
        self._rearm = QTimer(self)
        self._rearm.setSingleShot(True)
        self._rearm.setInterval(0)
        self._rearm.timeout.connect(self._arm)
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
        self._shortcut_override = QtCore.QEvent.Type.ShortcutOverride
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

    @property
    def looking(self) -> bool:
        """True while the filter is on the application: off from an input to the event loop's next turn (``_rest``)."""
        return self._watching and not self._rearm.isActive()

    @property
    def guard_timer(self) -> QTimer:
        """The timer that looks at the clock counting sleep every ``GUARD_MS`` (tests wait for its timeout)."""
        return self._guard

    def remaining_ms(self) -> int:
        """How long until the lock, or -1 when the timer is not running."""
        return self._timer.remainingTime()

    def start(self) -> None:
        self._timer.start()
        self._since = sleep_counting_seconds()
        self._guard.start()

    def stop(self) -> None:
        self._timer.stop()
        self._guard.stop()

    def _time_out(self) -> None:
        self._guard.stop()
        self.idle.emit()

    def _slept_past(self, now: float | None = None) -> bool:
        """Whether the idle time has run out on the clock that counts sleep (the monotonic timer not yet out)."""
        now = sleep_counting_seconds() if now is None else now
        return now - self._since >= self._timer.interval() / 1000

    def _check_slept(self) -> None:
        if self._timer.isActive() and self._slept_past():
            self.stop()
            self.idle.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in self._activity:
            return False
        if self._timer.isActive():
            now = sleep_counting_seconds()  # once an input: every key and pointer move comes here
            if not self._slept_past(now):
                self._timer.start()
                self._since = now
                self._rest()
                return False
            # The first input after waking: the lock, not one more idle period. Not from inside this event's
            # delivery (the lock deletes the widget it is for): the input is swallowed until the lock has run.
            self.stop()
            self._locking = True
            QTimer.singleShot(0, self._lock_after_waking)
        if self._locking and event.type() == self._shortcut_override:
            event.accept()  # taken by the focused widget, so no shortcut acts (Ctrl+E would show the list); its key
            # press then comes here and is swallowed
        return self._locking

    def _rest(self) -> None:
        """Off the application until the event loop's next turn, the idle time just started again: what this input
        sets off is not looked at. Ctrl+E's page switch and paint are ~330 show, hide, layout and paint events, each
        a call into Python here that the binding wraps (~2-3 ms of its frame at 50,000 cases, bench_caselist); a
        keystroke's repaint a few dozen. Nothing is lost: more input in the same turn would only start the idle
        time again. A machine put to sleep inside that turn (a long handler) lets the inputs queued before its next
        turn through after waking, unswallowed; the guard's look at the clock (``GUARD_MS``) still locks within 2 s."""
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)  # safe from inside this filter's own call (Qt's documentation)
            self._rearm.start()

    def _arm(self) -> None:
        app = QCoreApplication.instance()
        if self._watching and app is not None:
            app.installEventFilter(self)

    def _lock_after_waking(self) -> None:
        self._locking = False
        self.idle.emit()
