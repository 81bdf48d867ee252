"""What the unlock, a create, a restore, the day's upkeep, a lock and a sync's relisting run on workers: the store
opened and both lists' rows built from its cursor (or read as the value the last lock kept), the audit entry beside.

Kept out of ``ui.main_window``: no Qt here, and nothing heavy at import (the store, the domain and the list's
modules are imported inside, on the worker, or found imported by the preload: ``ui.unlock.preload``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

log = logging.getLogger(__name__)


def unlock_and_list(directory: Path, passphrase: str, asked: Any,
                     key_in: Callable[[], object] = lambda: None) -> tuple[Any, Any, Any]:
    """Run on the unlock worker: the store is imported here (or found imported by the preload), not on the UI
    thread; the day's backup waits until the list is shown (``daily_upkeep``). ``asked`` is the helper process
    that derives the key (asked at Enter): Argon2 and cryptography never load in this one. ``key_in`` is called
    once the key is unwrapped and the store open, before the cases are listed."""
    from storage.profile import unlock_profile

    try:
        profile = unlock_profile(directory, passphrase, backup=False, unwrap_key=asked.unwrap)
    finally:
        asked.close()  # refused before its answer was read (the wait after wrong passphrases): it derives no more
    key_in()
    recording = _UnlockRecorded(profile)
    try:
        listing = _prepared(profile, read_then=recording.start)
    except BaseException:
        recording.wait()  # the store is closed: it may be writing (and then meets ProfileLocked)
        raise
    recording.start()
    recorded = recording.wait()  # before the list is shown, as when the UI thread wrote it
    return (*listing, True if recorded is None else recorded)


class _UnlockRecorded:
    """The unlock's audit entry, written on a thread of its own once the listing's reads are done: its commit's
    fsync (~11 ms, the GIL let go) runs beside the Python that turns the kept value into rows, where the UI thread
    wrote it after the worker, before the first paint. The worker waits for it: no list is shown unaudited."""

    def __init__(self, profile: Any) -> None:
        self._profile = profile
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._record, name="unlock-audit", daemon=True)
            self._thread.start()

    def _record(self) -> None:
        try:
            self._profile.audit.record("unlock")
        except BaseException as error:  # delivered with the listing to the UI thread, which shows it
            self._error = error

    def wait(self) -> BaseException | None:
        """Once it is written (if it was started): None, or the error it met."""
        if self._thread is not None:
            self._thread.join()
        return self._error


def close_opened(result: tuple[Any, ...]) -> None:
    """An unlock, create or restore that ended after quit (its worker waited for at ``ui.app.run``'s last step):
    the store it opened is closed (the key overwritten, the WAL checkpointed), not left to the collector."""
    result[0].lock()


def with_summaries(profile: Any) -> tuple[Any, Any]:
    """Run on a worker after a create or a restore: the list with every deadline refreshed (a new or restored
    profile has few or none to refresh) and the window's modules."""
    return _prepared(profile, refresh=True)


def _prepared(profile: Any, *, refresh: bool = False,
              read_then: Callable[[], object] = lambda: None) -> tuple[Any, Any]:
    """Run on a worker: the case list as stored (deadlines computed on an earlier day are refreshed off the unlock
    path, by ``daily_upkeep``) and the store's modules (the window's Qt modules
    were imported on the UI thread before this worker started: ``ui.unlock.preload``)."""
    import importlib

    from ibic.reference_files import load_list_reference
    from ui.cases.kept_listing import context, read_kept
    from ui.common.collection import collector_paused
    from ui.session import calendar_day, store_uses_the_day
    from ui.unlock.preload import MODULES, forget_module_sources

    try:
        for name in MODULES:
            importlib.import_module(name)
        forget_module_sources()  # before the rows are made: they reuse the memory the source lines held
        listed = load_list_reference()  # the rows' labels, without building ReferenceData (pydantic)
        context()  # the program's files as they are now, before rows are built (a create's first lock stamps them)
        # Both lists' rows built here, not on the UI thread, straight from the cursor (no list of summaries); or,
        # when nothing was written since the last lock kept them, read as one value (``ui.cases.kept_listing``).
        store_uses_the_day(profile)
        today = calendar_day()  # the session's clock, before the session is made (``ui.window_unlock.opened``)
        with collector_paused():
            listing = None if refresh else read_kept(profile, listed, today, read_then)
            if listing is None:
                read_then()
                listing = _listing(profile, listed, today, refresh=refresh)
        return profile, listing
    except BaseException:
        profile.lock()  # nobody else holds it: close the file and overwrite the key now, not at garbage collection
        raise


def keep_listing(profile: Any, today: Any) -> bool:
    """Run on a worker at the lock or quit: both lists' rows as of ``today`` (the session's day at the lock) kept in
    the profile for the next unlock, with the list's labels (``load_list_reference``: a lock before any case was
    opened loads no model)."""
    from ibic.reference_files import load_list_reference
    from ui.cases.kept_listing import keep

    return keep(profile, load_list_reference(), today)


def keeping_failed(error: BaseException) -> None:
    """The kept lists could not be written (a full disk, a damaged file): the next unlock lists in full."""
    log.warning("listing not kept", extra={"error_type": type(error).__name__})


def daily_upkeep(profile: Any, today: Any) -> Any:
    """Run on a worker once the list is painted: the day's deadlines (the work list's column), the pulled entries
    folded into their documents (``SyncState.fold_pulled_entries``), then the backup
    when one is due, then the memory those needed given back. Returns the refreshed listing when any deadline
    was computed anew, else None."""
    from ibic.reference_files import load_list_reference
    from ui.common.collection import collector_paused
    from ui.unlock.preload import forget_module_sources

    changed = profile.cases.refresh_deadlines(today)
    profile.sync.fold_pulled_entries()  # pulled entries kept in rows of their own go into their documents
    profile.backup_if_due()
    listing = None
    if changed:
        with collector_paused():
            listing = _listing(profile, load_list_reference(), today, refresh=False)
    forget_module_sources()  # of the modules sync imported after the first paint
    profile.release_memory()  # the pages the listing and the backup decrypted
    return listing


def _listing(profile: Any, ref: Any, today: Any, *, refresh: bool) -> Any:
    """Run on a worker: both lists' rows built straight from the cursor (no list of summaries held beside them)."""
    from ui.cases.case_list import prepared_listing

    return profile.cases.read_summaries(lambda rows: prepared_listing(rows, ref, today), today=today, refresh=refresh)


def relisted_rows(profile: Any, ref: Any, today: Any) -> Any:
    """Run on a worker after a sync: the whole listing (today's deadlines refreshed, as a listing on the UI thread
    did), then the pages it decrypted given back (``Profile.release_memory``)."""
    from ui.common.collection import collector_paused

    with collector_paused():
        listing = _listing(profile, ref, today, refresh=True)
    profile.release_memory()
    return listing
