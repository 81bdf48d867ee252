"""Run a function once the paints already asked for are done.

Qt queues a window's repaint (``UpdateRequest``) at low priority, so ``QTimer.singleShot(0, …)`` runs *before* a
paint that was asked for earlier. An event posted at the same low priority is queued behind it instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject

_AFTER_PAINT = QEvent.Type(QEvent.registerEventType())
# Qt.EventPriority.LowEventPriority, by value: the name ``Qt`` makes the binding build every enum of Qt's namespace
# (about 40 ms), and the unlock page, which calls this, needs none of them before its first paint.
_LOW_PRIORITY = -1


class _Call(QObject):
    def __init__(self, owner: QObject, function: Callable[[], None]) -> None:
        super().__init__(owner)  # dies with its owner: a window closed meanwhile calls nothing
        self._function = function

    def event(self, event: QEvent) -> bool:
        if event.type() != _AFTER_PAINT:
            return super().event(event)
        self.deleteLater()
        self._function()
        return True


def call_after_paint(owner: QObject, function: Callable[[], None]) -> None:
    """Call ``function`` on this thread after the repaints already queued (while ``owner`` lives)."""
    QCoreApplication.postEvent(_Call(owner, function), QEvent(_AFTER_PAINT), _LOW_PRIORITY)
