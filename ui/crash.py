"""What happens to an exception nothing caught (a fault in a Qt slot, a timer, a virtual): ``sys.excepthook``.

Python's own hook prints the whole traceback to standard error, the exception's text included, and that text can
quote what was typed (pydantic's errors name the value they refused): a launcher or the desktop session keeps
standard error in a file nobody cleans. And the person is told nothing while the app carries on. This hook writes
the type, an incident id and where it was raised (module, function and line of each frame: support can find the
fault) only (``ui.errors.user_message``, through the log's allowlist), and shows the incident message, which says
that what was typed is still in the window.
"""

from __future__ import annotations

import sys
import threading
import warnings
from types import TracebackType


def install_excepthook() -> None:
    """The app's hooks, for the running app only (``ui.app.run``); tests keep pytest-qt's. A ``threading.Thread``
    whose target raises goes to ``threading.excepthook``, not ``sys.excepthook``, and one in a ``__del__`` to
    ``sys.unraisablehook``: Python's own print the same text-holding traceback, so they are replaced too, and so is
    ``warnings.showwarning``, which prints a warning's text."""
    sys.excepthook = _unexpected_exception
    threading.excepthook = _thread_exception
    sys.unraisablehook = _unraisable
    warnings.showwarning = _warning


def _warning(message: Warning | str, category: type[Warning], filename: str, lineno: int, file: object = None,
             line: str | None = None) -> None:
    """A Python warning (shown once a place by the default filters): Python's own printed its text to standard
    error, and a library's text can quote a value (pydantic's serializer warnings end with ``input_value=…``).
    Logged by its category and where it was raised (the file's name without its folder, the line), never its text."""
    import logging
    from pathlib import PurePath

    logging.getLogger(__name__).warning(
        "python warning", extra={"error_type": category.__name__, "frames": f"{PurePath(filename).stem}:{lineno}"})


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """An exception Python cannot raise (in a ``__del__``, a finaliser, a generator closed by the collector): its
    default prints the traceback and the text to standard error. Logged like the others; no box (it may come from
    the collector in the middle of anything)."""
    if unraisable.exc_value is None:
        return
    try:
        from ui.errors import user_message

        user_message(unraisable.exc_value)
    except Exception:
        pass


def _thread_exception(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:  # a thread's sys.exit(): Python ignores it as well
        return
    _unexpected_exception(args.exc_type, args.exc_value, args.exc_traceback)  # logged; no box off the GUI thread


def _unexpected_exception(error_type: type[BaseException], error: BaseException,
                          trace: TracebackType | None) -> None:
    if issubclass(error_type, KeyboardInterrupt):  # Ctrl+C in a terminal: quit as Python would, nothing to hide
        sys.__excepthook__(error_type, error, trace)
        return
    try:
        from ui.errors import user_message  # here: a start-up that never fails does not import it early

        message = user_message(error)  # logs "unexpected error" with the incident id and the type, never the text
        _show(message)
    except Exception:  # a failing hook would have Python print both tracebacks, texts and all
        pass


def _show(message: str) -> None:
    """The message in a box that does not block the slot's caller; only on the GUI thread (a worker's thread must
    not make widgets: there the log line is all)."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    if QApplication.instance() is None or threading.current_thread() is not threading.main_thread():
        return  # the app's GUI thread is the main thread
    if any(w.objectName() == "incidentMessage" and w.isVisible() for w in QApplication.topLevelWidgets()):
        return  # a fault repeated on every key press: one box at a time, each incident still logged
    parent = QApplication.activeWindow()
    box = QMessageBox(QMessageBox.Icon.Critical, "Hembesök", message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("incidentMessage")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
