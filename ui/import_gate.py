"""One thread's imports of new modules wait while a worker imports (``ui.case_opening``'s models' worker).

Two threads importing at once are not safe in this process: PySide6's import hook sets ``builtins.__import__`` back
to the plain import around its post-import step and then restores what it found (PYSIDE-3054), process-wide, so an
import on one thread can run the other's without the hook, or lose it for good; a module imported without it and
then reached through it mid-import fails (``import pydantic; import PySide6.QtCore; from pydantic import Field``:
"cannot import name 'import_string' from partially initialized module"); and CPython 3.11's module locks can raise
``_DeadlockError`` for two threads importing each other's chain.

So, from ``ImportGate()`` on the UI thread until ``open()``, that thread's every import of a module not yet in
``sys.modules`` waits for ``open()`` first: a report, the settings, a sync's end, whatever path comes then. It waits
in Python's own ``importlib._bootstrap._find_and_load``, which every import of a new module goes through (an import
statement, ``importlib.import_module``, a ``from`` list), before that takes any module lock, so the worker never
waits on the UI thread. Modules already imported, the common case, pass untouched. The person's keys and clicks
meanwhile wait in Qt's queue (≤ the worker's ~250 ms); none is lost.
"""

from __future__ import annotations

import importlib._bootstrap as bootstrap
import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# Beyond this the gate lets the import through (a worker that never ends must not freeze the window for good).
LONGEST_WAIT_S = 30.0

_FIND_AND_LOAD = "_find_and_load"  # CPython's (3.11-3.13): the import system calls it by this name every time


class ImportGate:
    """Made on the thread whose imports wait (closed at once); ``open()`` from any thread."""

    def __init__(self) -> None:
        self._opened = threading.Event()
        self._thread = threading.get_ident()
        self._under: Callable[[str, Any], Any] | None = getattr(bootstrap, _FIND_AND_LOAD, None)
        if self._under is not None:
            setattr(bootstrap, _FIND_AND_LOAD, self._find_and_load)

    def open(self) -> None:
        """The worker's imports are done: the waiting import goes on, and the import system is as it was."""
        self._opened.set()
        if getattr(bootstrap, _FIND_AND_LOAD, None) == self._find_and_load:
            setattr(bootstrap, _FIND_AND_LOAD, self._under)

    def _find_and_load(self, name: str, import_: Any) -> Any:
        waits = threading.get_ident() == self._thread and not self._opened.is_set()
        if waits and not self._opened.wait(LONGEST_WAIT_S):
            self.open()  # first: the log's own imports must not wait again
            log.warning("an import went on beside a worker's that did not end")
        assert self._under is not None
        return self._under(name, import_)
