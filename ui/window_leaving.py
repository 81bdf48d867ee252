"""When the main window may leave the case on screen: Ctrl+E, Ctrl+T, Ctrl+N, another case, Ctrl+Q or the close
button ask first while a field shows a text the model refused (the question is ``ui.workspace.leaving``'s), and
nothing asks once a signal or the OS session's end quits the program.

Kept out of ``ui.main_window`` (over 1,100 lines): the window holds one ``WindowLeaving`` and calls it where it
leaves the case on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class WindowLeaving:
    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.ending = False  # a signal or the OS session's end quits: nobody is there to answer a question
        self._closing = False  # Lämna was answered to the question a close asked: the close goes on

    def asked(self, then: Callable[[], object]) -> bool:
        """True when the case on screen holds a text the model refused: the question is open and ``then()`` runs
        once the person answers Lämna (unless a lock or a pull took the case away meanwhile); False, and nothing
        asked, otherwise."""
        window = self._window
        workspace = window.workspace
        if workspace is None or window.stack.currentWidget() is not workspace:
            return False
        from ui.workspace.leaving import asked_before_leaving  # here: the unlock page does not wait for it

        def leave() -> None:
            if window.session is not None and window.workspace is workspace:
                then()

        return asked_before_leaving(window, workspace, leave)

    def then(self, then: Callable[[], object]) -> None:
        """``then()`` at once, or after Lämna when the case on screen holds a refused text (Ctrl+E, Ctrl+T)."""
        if not self.asked(then):
            then()

    def close_asked(self) -> bool:
        """For ``closeEvent``: True when the close asked (the event is to be ignored; Lämna closes again). The
        question is opened without a loop of its own, so a quit is never held in a nested one."""
        return not (self.ending or self._closing) and self.asked(self._close_again)

    def _close_again(self) -> None:
        self._closing = True
        try:
            self._window.close()
        finally:
            self._closing = False

    def end_session(self) -> None:
        """A signal (SIGTERM, SIGINT) or the end of the OS session quits: the close that follows asks nothing, as
        nobody may be there to answer and Qt's quit gives up when a window ignores its close."""
        self.ending = True
