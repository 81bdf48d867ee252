"""Import what the unlocked window needs while the passphrase is typed: plain Python on a thread, Qt on the UI thread.

The unlock page needs none of the store, the domain models or the case list, and importing them (pydantic builds
every model class) takes longer than showing the page. Here the store and the domain (no Qt in them) are imported
on a thread of their own once the page is up, and the reference data read into its cache; the unlock worker
imports the same modules and simply finds them done, or waits on Python's per-module import lock.

The window's own modules define Qt classes and build Qt enums when imported, and PySide6 does not make that safe
beside the UI thread's Qt work: with such imports on a thread, about one unlock in fifteen ended in a segmentation
fault (the preload defining a dialog class while the UI thread built an enum). So ``WINDOW_MODULES`` are imported
on the UI thread only, and only once the thread has imported the store and the domain: imported first, the case
list pulled in pydantic and every domain model on the UI thread (0.7–1 s in one turn of the event loop, a keystroke
in the passphrase field taken half a second late), imported after, each is a few milliseconds. Then one a turn of
the event loop, leaf first; whatever is left at Enter (``import_window_modules``) before the unlock worker starts —
the worker never imports a Qt module — and only once the thread's imports are done (``when_imported``): neither
the UI thread nor the unlock worker imports beside the preload thread.
"""

from __future__ import annotations

import importlib
import linecache
import logging
import sys
import threading
from collections.abc import Callable
from types import ModuleType

log = logging.getLogger(__name__)

# What unlock uses, no Qt in any of them: imported on the preload thread and by the unlock worker.
MODULES = (
    "storage.profile",
    "storage.migrations",  # the open checks the schema version against them
    "ctypes",  # Profile.release_memory's malloc_trim
    "ibic.reference_files",  # the list's labels (not ReferenceData: pydantic waits for the first opened case)
    "ui.session",
    "sync.client.credentials",  # whether the profile is enrolled, read as the window opens
)
# What the unlocked window uses that defines Qt classes: imported on the UI thread only (see above), in this order,
# one a turn: each a few milliseconds once MODULES are in (the table model's ~30 ms build Qt's namespace enums).
WINDOW_MODULES = (
    "ui.cases.table_model",
    "ui.cases.cell_delegate",
    "ui.cases.case_list",  # also builds the rows on the unlock worker: imported before it starts
    "ui.cases.kept_listing",  # the kept rows, read on the unlock worker (no Qt class of its own)
    "ui.window_sync",  # not its conflict dialog (+1.4 MiB resident): imported when the conflicts are shown
)
# Not the workspace (its navigator brings the domain's models): ``ui.case_opening`` imports it for the first case.
# Not QtNetwork: sync watches the system's network reports only once a sync has failed (``ui.window_sync``).
WAIT_FOR_THREAD_MS = 25  # how often the UI thread looks whether the thread's imports are done
WAIT_AT_ENTER_MS = 5  # the same after Enter, where each wait is waited by the person
_started = threading.Event()
_thread_done = threading.Event()


def start_preload() -> None:
    """Start importing ``MODULES`` in the background (once per process; later calls do nothing)."""
    keep_no_module_sources()
    if _started.is_set():
        return
    _started.set()
    # Not a daemon: a quit in the first second waits for the imports to end rather than tear modules down under
    # a thread that is still importing them.
    threading.Thread(target=_import_all, name="preload").start()
    _import_window_modules_stepwise(list(WINDOW_MODULES))


def when_imported(context: object, then: Callable[[], None]) -> None:
    """Call ``then`` on the UI thread once the preload thread's imports are done: at once if they are (or if the
    preload has not started: then it never will), else from the event loop, dropped if ``context`` (a QObject) is
    destroyed meanwhile.

    Why wait: two threads importing at the same time can fail in CPython 3.11's module locks (a ``_DeadlockError``
    or a wrongly missing module, cpython gh-83065 and gh-91351), so an Enter pressed while the preload still imports
    neither imports the window's modules beside it nor starts a worker that imports the store. Nothing is lost: the
    key is derived in its own process meanwhile, and the worker would wait on the same modules' locks anyway.
    """
    from PySide6.QtCore import QTimer

    if not _started.is_set():  # Enter before the preload began: it never begins, the worker imports alone
        _started.set()
        _thread_done.set()
    if _thread_done.is_set():
        then()
        return
    QTimer.singleShot(WAIT_AT_ENTER_MS, context, lambda: when_imported(context, then))  # type: ignore[call-overload]


def imported_whole(name: str) -> bool:
    """Whether the UI thread may use module ``name`` now without importing beside the preload thread: no preload
    thread is importing (not started, or done), or the module is imported whole (not part-way, on the thread)."""
    if not _started.is_set() or _thread_done.is_set():
        return True
    module = sys.modules.get(name)
    return module is not None and not getattr(getattr(module, "__spec__", None), "_initializing", False)


def import_window_modules() -> None:
    """On the UI thread, before a worker that uses them starts: the window's modules not imported yet."""
    keep_no_module_sources()  # Enter before the preload started
    for name in WINDOW_MODULES:
        importlib.import_module(name)


def _import_window_modules_stepwise(left: list[str]) -> None:
    """One window module a turn of the UI thread's event loop, once the thread's imports are done, so typing the
    passphrase stays responsive."""
    from PySide6.QtCore import QTimer

    if not left:
        return
    if not _thread_done.is_set():
        QTimer.singleShot(WAIT_FOR_THREAD_MS, lambda: _import_window_modules_stepwise(left))
        return
    try:
        importlib.import_module(left[0])
    except Exception as error:  # the same import at Enter raises it again, where it is reported
        log.warning("preload failed", extra={"error_type": type(error).__name__})
        return
    QTimer.singleShot(0, lambda: _import_window_modules_stepwise(left[1:]))


def _import_all() -> None:
    try:
        from storage.key_helper import prestart

        prestart()  # the process that unwraps the key at Enter starts and imports its crypto meanwhile
        for name in MODULES:
            importlib.import_module(name)
        from ibic.reference_files import load_list_reference

        load_list_reference()  # cached: the case list page and the unlock worker take it from there
        forget_module_sources()
    except Exception as error:  # the same import on the UI path raises it again, where it is reported
        log.warning("preload failed", extra={"error_type": type(error).__name__})
    finally:
        _thread_done.set()


def forget_module_sources() -> None:
    """Drop the source lines Python's ``linecache`` holds for the modules imported so far.

    PySide6 replaces ``__import__`` to support ``from __feature__ import ...``: after every import it reads the new
    module's whole source (``inspect.getsource``) to see whether it mentions PySide6, and ``linecache`` keeps those
    lines for good: every module of the app, ~9 MiB of Python strings once the unlocked window is imported. Only a
    traceback reads them again (from the file, when it needs them), so dropping them after the imports costs nothing.
    """
    linecache.clearcache()


def keep_no_module_sources() -> None:
    """From now on, PySide6's import hook leaves no module's source lines in ``linecache`` (and what it left so far is
    dropped).

    After every import PySide6 calls its private ``_mod_uses_pyside(module)`` (``inspect.getsource``), which fills
    ``linecache`` with the module's lines: ``forget_module_sources`` after the unlock and its upkeep left the lines of
    every later import kept (the workspace's modules when a case is first opened, sync's after the first sync). Here
    that function is wrapped so that the entries it added are removed again; what it answers is unchanged. Safe to
    call again (it wraps once); if PySide6 has no such function (another version), nothing is wrapped and the calls
    of ``forget_module_sources`` are what is left.
    """
    feature = sys.modules.get("shibokensupport.feature")  # PySide6.support.feature, loaded with QtCore
    uses_pyside = getattr(feature, "_mod_uses_pyside", None)
    if feature is not None and callable(uses_pyside) and not getattr(uses_pyside, "keeps_no_source", False):
        feature._mod_uses_pyside = _without_kept_source(uses_pyside)  # type: ignore[attr-defined]
    forget_module_sources()


def _without_kept_source(uses_pyside: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def checked(module: ModuleType) -> bool:
        cache = linecache.cache
        kept = set(cache)  # made in C, under the GIL: another thread cannot change the cache meanwhile
        try:
            return uses_pyside(module)
        except Exception:
            # Its ``inspect.getsource`` asks the module for ``__wrapped__``; a module ``__getattr__`` that raises
            # something other than AttributeError there (pydantic's moved-names look-up, which imports
            # ``pydantic._internal._validators`` while that module is itself being imported) failed the import that
            # PySide6 was only inspecting: the app stopped at start with an ImportError. None of the app's modules
            # uses PySide6's ``__feature__`` switches, so "does not use them" is the true answer for any module.
            return False
        finally:
            for name in cache.keys() - kept:
                cache.pop(name, None)

    checked.keeps_no_source = True  # type: ignore[attr-defined]
    return checked
