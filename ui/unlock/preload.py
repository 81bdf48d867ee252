"""Import what the unlocked window needs while the passphrase is typed, on a thread of its own.

The unlock page needs none of the store, the domain models or the case list, and importing them (pydantic builds
every model class) takes longer than showing the page. Here they are imported in the background once the page is
up, and the reference data read into its cache; the unlock worker imports the same modules and simply finds them
done, or waits on Python's per-module import lock for the one being imported. Only imports and plain data here: no
Qt object is made off the UI thread (none of these modules makes one at import).
"""

from __future__ import annotations

import importlib
import linecache
import logging
import threading

log = logging.getLogger(__name__)

# What unlock and the first case list use, most needed first: the worker's imports, then the window's.
MODULES = (
    "storage.profile",
    "storage.migrations",  # the open checks the schema version against them
    "ctypes",  # the derivation's malloc_trim
    "ibic.reference",
    "ui.session",
    "ui.cases.case_list",
    "ui.window_sync",
    "sync.client.credentials",  # whether the profile is enrolled, read as the window opens
    "PySide6.QtNetwork",  # sync watches the network from the list's first paint (a module: no Qt object made)
    "ui.workspace.navigator",
)
_started = threading.Event()


def start_preload() -> None:
    """Start importing ``MODULES`` in the background (once per process; later calls do nothing)."""
    if _started.is_set():
        return
    _started.set()
    # Not a daemon: a quit in the first second waits for the imports to end rather than tear modules down under
    # a thread that is still importing them.
    threading.Thread(target=_import_all, name="preload").start()


def _import_all() -> None:
    try:
        for name in MODULES:
            importlib.import_module(name)
        from ibic.reference import load_reference_data

        load_reference_data()  # cached: the case list page and the session take it from there
        forget_module_sources()
    except Exception as error:  # the same import on the UI path raises it again, where it is reported
        log.warning("preload failed", extra={"error_type": type(error).__name__})


def forget_module_sources() -> None:
    """Drop the source lines Python's ``linecache`` holds for the modules imported so far.

    PySide6 replaces ``__import__`` to support ``from __feature__ import ...``: after every import it reads the new
    module's whole source (``inspect.getsource``) to see whether it mentions PySide6, and ``linecache`` keeps those
    lines for good: every module of the app, ~9 MiB of Python strings once the unlocked window is imported. Only a
    traceback reads them again (from the file, when it needs them), so dropping them after the imports costs nothing.
    """
    linecache.clearcache()
