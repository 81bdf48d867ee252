"""Run a function once the paints already asked for are done.

Qt queues a window's repaint (``UpdateRequest``) at low priority, so ``QTimer.singleShot(0, …)`` runs *before* a
paint that was asked for earlier. An event posted at the same low priority is queued behind it instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QObject

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
# Qt.EventPriority.LowEventPriority, by value: the name ``Qt`` makes the binding build every enum of Qt's namespace
# (about 40 ms), and the unlock page, which calls this, needs none of them before its first paint.
_LOW_PRIORITY = -1


class _Call(QObject):
    def __init__(self, owner: QObject, function: Callable[[], None]) -> None:
        super().__init__(owner)  # dies with its owner: a window closed meanwhile calls nothing
        self._function = function

    def event(self, event: QEvent) -> bool:
        if event.type() != _after_paint():
            return super().event(event)
        self.deleteLater()
        self._function()
        return True


@cache
def _after_paint() -> QEvent.Type:
    """The event type of these calls, registered at the first: ``QEvent`` is created with its enum of ~180 event
    types (a few ms), and the unlock page, which imports this module, needs it only after unlock."""
    return QtCore.QEvent.Type(QtCore.QEvent.registerEventType())


def call_after_paint(owner: QObject, function: Callable[[], None]) -> None:
    """Call ``function`` on this thread after the repaints already queued (while ``owner`` lives)."""
    QCoreApplication.postEvent(_Call(owner, function), QtCore.QEvent(_after_paint()), _LOW_PRIORITY)
