"""One sync run in a short-lived child process, so the window's process never loads httpx, ``ssl`` or the engine.

The first sync after an unlock imported httpx, the system's libcrypto (``ssl``, beside SQLCipher's own OpenSSL) and
the protocol's models into the window for good (~6 MiB of ``bench.run start``'s enrolled figure). Here each run
starts a Python process of its own (as ``storage.key_helper`` does for the unlock): the window writes the profile's
data key (32 raw bytes, never argv, environment, files or logs) and a JSON line (the profile's folder, the pinned
CA file, the settings' timeouts) into its standard input; the child opens the store, runs
``sync.client.engine.sync_now`` and writes one JSON line per progress report and a last one with the report or the
error, then exits, taking that memory along.

Both processes write the one SQLCipher file: WAL lets the window read meanwhile, and every write transaction is
``BEGIN IMMEDIATE`` under SQLite's busy timeout, so a save waits for a step of the sync instead of failing. A lock
or quit kills the child (``ChildSync.stop``): SQLite drops the transaction it had open, and each of the engine's
steps is repeatable (what the server took but was not recorded is pushed again and answered as a duplicate).
A child that dies or stays silent longer than ``SILENCE_LIMIT_S`` is a ``ChildFailed``: the run failed, the next
one (the periodic timer) starts a new child. The window keeps the child's standard input open until the run ends and
the child ends as soon as it closes (``_end_with_input``): a window that dies mid-sync takes its child along.

What differs on Windows: ``Popen.kill`` is ``TerminateProcess`` (no signal, the same effect: SQLite drops the open
transaction); ``CREATE_NO_WINDOW`` (``storage.key_helper.start_process``) keeps a console from flashing up for a
child started from source; the pipes are binary on both ends (``sys.stdin.buffer``/``sys.stdout.buffer`` here, no
``text=`` there), so no newline is translated; a child outlives its parent there as on Linux, hence the end at the
close of its input; and the child's ``print`` goes to its standard error (nowhere), never into the answers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from storage import errors as storage_errors
from storage.kdf import KEY_BYTES
from sync import errors as sync_errors
from sync.errors import ChildFailed
from sync.progress import ProgressCallback, SyncProgress, SyncReport
from sync.timeouts import Timeouts

if TYPE_CHECKING:  # the child never starts a process: subprocess and the key helper load in the window only
    import subprocess

_log = logging.getLogger(__name__)

# The frozen bundle's executable is the app: main.py runs ``serve`` for this first argument.
FROZEN_ARGUMENT = "--sync-child"
# From source, the way the bundle starts (``main.main``'s dispatch, after its pydantic set-up): what differs between
# the two is only the interpreter, and the child does not scan every installed distribution for pydantic plugins.
_BOOT = f"import sys; sys.path.insert(0, sys.argv[1]); import main; main.main([{FROZEN_ARGUMENT!r}])"
# Longer than the transport can stay silent by itself: one request's retry time, connect and answer timeouts, at most
# 120 + 60 + 300 s within the settings' ranges (``sync.timeouts``; 15 + 5 + 20 s by default).
SILENCE_LIMIT_S = 600.0
# The child's exit status when its standard input closed before it answered (the window ended the run, or died).
PARENT_GONE = 3
# The errors rebuilt as what they are in the window (the UI explains each); any other is a ChildFailed.
_ERROR_MODULES = (sync_errors, storage_errors)


class ChildSync:
    """The child processes of one sync controller: ``run`` on its worker, one at a time; ``stop`` (at lock, from
    the UI thread) kills the one running and refuses to start another."""

    def __init__(self, ca_file: Callable[[], str] = lambda: "", timeouts: Callable[[], Timeouts] = Timeouts) -> None:
        # The pinned CA and the timeouts as set, read on the UI thread before each run (``WindowSync``).
        self._ca_file, self._timeouts = ca_file, timeouts
        self._guard = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stopped = False

    def stop(self) -> None:
        with self._guard:
            self._stopped = True
            process = self._process
        if process is not None:
            _kill(process)

    def run(self, profile: Any, progress: ProgressCallback) -> SyncReport:
        """On the worker: one sync of ``profile`` (unlocked) in a child; its progress to ``progress`` (which may
        raise to stop the run: the child is killed), its report returned or its error raised here."""
        with profile.journal.pushed_elsewhere():  # its push reads the journal: nothing typed meanwhile is lost
            process = self._start()
            try:
                _send_request(process, profile, self._ca_file(), self._timeouts())
                return _read_answers(process, profile, progress)
            except ChildFailed as error:  # the one trace of a child that died: it writes no log of its own
                if not self._stopped:  # not the lock's own kill
                    _log.warning("sync child failed: %s", error)
                raise
            finally:
                with self._guard:
                    self._process = None
                _kill(process)
                _close_pipes(process)

    def _start(self) -> subprocess.Popen[bytes]:
        with self._guard:
            if self._stopped:
                raise ChildFailed("stopped before it started")
            from storage.key_helper import start_process

            try:
                self._process = start_process(FROZEN_ARGUMENT, _BOOT)
            except OSError as error:
                raise ChildFailed(f"not started: {type(error).__name__}") from None
            return self._process


def _send_request(process: subprocess.Popen[bytes], profile: Any, ca_file: str, timeouts: Timeouts) -> None:
    request = json.dumps({"directory": str(profile.directory), "ca_file": ca_file,
                          "timeouts": list(timeouts)}).encode("utf-8") + b"\n"
    stdin = process.stdin
    assert stdin is not None
    try:
        profile.send_key(stdin.write)
        stdin.write(request)
        # Left open until the run ends (``ChildSync.run`` closes it): the child ends when it closes, so a window that
        # dies (killed, crashed) takes its child along instead of leaving it syncing on, holding the store's lock.
        stdin.flush()
    except OSError as error:  # it died before reading (a broken pipe)
        raise ChildFailed(f"request not sent: {type(error).__name__}") from None


def _read_answers(process: subprocess.Popen[bytes], profile: Any, progress: ProgressCallback) -> SyncReport:
    stdout = process.stdout
    assert stdout is not None
    silent = _Watchdog(process)
    try:
        for line in stdout:
            silent.heard()
            answer = json.loads(line)
            if "progress" in answer:
                phase, done, total = answer["progress"]
                progress(SyncProgress(phase, int(done), int(total)))
            elif "forget" in answer:  # at once, not with the report: a run that fails later withdrew it all the same
                record_type, record_id = answer["forget"]
                profile.forget(str(record_type), str(record_id))
            elif "report" in answer:
                return _report(answer["report"])
            else:
                raise _wiped_here(_error(answer.get("error")), profile)
    except ValueError:
        raise ChildFailed("an answer that is not JSON") from None
    finally:
        silent.cancel()
    process.wait()
    raise ChildFailed(f"no answer, exit status {process.returncode}")


class _Watchdog:
    """Kills the child once it has said nothing for ``SILENCE_LIMIT_S`` (hung): its output then ends. One thread
    for the run, not a timer a line (a pull reports a step per page)."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._heard = time.monotonic()
        self._done = threading.Event()
        threading.Thread(target=self._watch, name="sync-child-watchdog", daemon=True).start()

    def heard(self) -> None:
        self._heard = time.monotonic()

    def cancel(self) -> None:
        self._done.set()

    def _watch(self) -> None:
        while not self._done.wait(max(self._heard + SILENCE_LIMIT_S - time.monotonic(), 0.01)):
            if time.monotonic() - self._heard >= SILENCE_LIMIT_S:
                _kill(self._process)
                return


def _wiped_here(error: Exception, profile: Any) -> Exception:
    """A revocation that wiped the profile in the child: this process's connection is closed and what the child
    could not delete (a file this process held open, on Windows) deleted now, as the in-process wipe did."""
    if isinstance(error, sync_errors.DeviceRevoked) and error.wiped:
        try:
            profile.sync.wipe(allow_pending=True)
        except storage_errors.StorageError:  # locked meanwhile, or the file unreadable: closed all the same
            profile.lock()
    return error


def _report(fields: dict[str, Any]) -> SyncReport:
    report = SyncReport(**{name: value for name, value in fields.items() if name != "finished_at"})
    report.not_received = [(str(kind), str(reason)) for kind, reason in report.not_received]
    if fields.get("finished_at"):
        report.finished_at = datetime.fromisoformat(fields["finished_at"])
    return report


def _error(described: Any) -> Exception:
    """The child's error as its own class (``sync.errors`` and ``storage.errors``), attributes and all."""
    if not isinstance(described, dict):
        return ChildFailed("an answer without a report or an error")
    name = str(described.get("type", ""))
    for module in _ERROR_MODULES:
        kind = getattr(module, name, None)
        if isinstance(kind, type) and issubclass(kind, Exception) and kind.__module__ == module.__name__:
            error: Exception = kind.__new__(kind)
            Exception.__init__(error, str(described.get("message", "")))
            error.__dict__.update(described.get("fields") or {})
            return error
    return ChildFailed(f"the sync failed in its process: {name}")


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(OSError):
            process.kill()
        process.wait()


def _close_pipes(process: subprocess.Popen[bytes]) -> None:
    for pipe in (process.stdin, process.stdout):
        if pipe is not None and not pipe.closed:
            with contextlib.suppress(OSError):
                pipe.close()


# --- the child -------------------------------------------------------------------------------------------------
def serve() -> None:
    """The child itself: the key and the request from standard input, one sync, its answers on standard output."""
    out = sys.stdout.buffer
    # Only the answers go to the window's pipe: a print or a warning anywhere in the child goes where its standard
    # error goes (nowhere), not between two JSON lines, where the window would read it as a broken answer.
    sys.stdout = sys.stderr
    stdin = sys.stdin.buffer
    key = _read_key(stdin)
    if key is None:
        os._exit(0)  # the window locked or quit before it wrote: nothing to do
    request = json.loads(stdin.readline())
    _end_with_input(stdin)
    try:
        _send(out, {"report": _describe_report(_sync(key, request, out))})
    except Exception as error:
        _send(out, {"error": _describe(error)})
    # At once, without the interpreter's shutdown: the window reads until the pipe closes.
    os._exit(0)


def _sync(key: bytearray, request: dict[str, Any], out: IO[bytes]) -> SyncReport:
    from storage.profile import open_with_key
    from sync.client.engine import open_session, sync_now

    profile = open_with_key(Path(request["directory"]), key, backup=False)  # the key is wiped when it closes
    # The window's own memory still holds what this process's withdrawals delete: it drops them when told.
    profile.on_forget(lambda record_type, record_id: _send(out, {"forget": [record_type, record_id]}))
    try:
        ca_file = request.get("ca_file") or ""
        timeouts = Timeouts(*(float(seconds) for seconds in request.get("timeouts") or ()))
        session = open_session(profile, ca_file=Path(ca_file) if ca_file else None, timeouts=timeouts)
        try:
            return sync_now(session, profile, progress=lambda step: _send(
                out, {"progress": [step.phase, step.done, step.total]}))
        finally:
            session.transport.close()
    finally:
        profile.lock()


def _end_with_input(stdin: Any) -> None:
    """This process ends as soon as its standard input closes: the window closes it when the run ends, and the
    system does when the window dies. Without it, a window killed or crashed mid-sync (there is no SIGKILL for the
    window to send from its grave, and on Windows a child outlives its parent) left the child syncing on: up to
    minutes of retries against a dead network, the store's write lock held, a sync beside the next window's own.
    The process ends mid-step, as at a lock's kill: SQLite drops the open transaction, the next run repeats it."""

    def watch() -> None:
        while stdin.read(1):  # the window writes nothing after the request: this waits for the end
            pass
        os._exit(PARENT_GONE)

    threading.Thread(target=watch, name="sync-child-parent", daemon=True).start()


def _read_key(stdin: Any) -> bytearray | None:
    key = bytearray(KEY_BYTES)
    size = 0
    while size < KEY_BYTES and (count := stdin.readinto(memoryview(key)[size:])):
        size += count
    return key if size == KEY_BYTES else None


def _send(out: IO[bytes], message: dict[str, Any]) -> None:
    out.write(json.dumps(message).encode("utf-8") + b"\n")
    out.flush()


def _describe_report(report: SyncReport) -> dict[str, Any]:
    fields = dataclasses.asdict(report)
    fields["finished_at"] = report.finished_at.isoformat() if report.finished_at else None
    return fields


def _describe(error: Exception) -> dict[str, Any]:
    """An error as plain data: its class's name, its (English, value-free) message and its JSON-able attributes."""
    fields = {name: str(value) if isinstance(value, Path) else value for name, value in vars(error).items()
              if isinstance(value, str | int | bool | float | Path | type(None))}
    return {"type": type(error).__name__, "message": str(error), "fields": fields}
