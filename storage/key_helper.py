"""Unwrap the data key in a short-lived helper process, so the app never loads Argon2 or ``cryptography``.

Argon2id and AES-GCM are needed once per unlock, and importing them (with their libraries) costs the app's process
about 9 MiB that it keeps for good; the derivation's block (19–256 MiB) also goes through its heap. The helper is a
Python process of its own: started while the unlock page waits for the passphrase (``prestart``), it imports them
and then waits on its standard input; at Enter it gets the key file's path and the passphrase through a pipe (never
on its command line, which other users can read), reads the key file, derives and unwraps, writes the data key back
through its standard output and exits, taking all that memory with it.

Errors cross the pipe as what they are (``WrongPassphrase``, ``ProfileDamaged``, ``KeyFileTooNew``); a helper that
cannot run at all (no interpreter, killed) is logged and the unwrap done here instead, as before, so an unlock never
fails for it. A format 1 key file is rewrapped as format 2 by the helper, which sends the new file with the key;
the app writes it (``write_upgrade``), as it holds the profile lock and the helper does not: a helper that outlives
an app killed mid-unlock writes nothing (s23-loose; until then it wrote, racing the lock's next holder).
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import cast

from storage.errors import DiskFull, KeyFileTooNew, ProfileDamaged, WrongPassphrase
from storage.files import wipe_bytes, write_atomically
from storage.kdf import KEY_BYTES
from storage.layout import key_file_path

_log = logging.getLogger(__name__)

# The frozen bundle's executable is the app: main.py runs ``serve`` for this first argument.
FROZEN_ARGUMENT = "--key-helper"
_ROOT = Path(__file__).resolve().parent.parent
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from storage.key_helper import serve; serve()"
_KEY = b"K"  # a reply that holds the key: this byte and the 32 key bytes
_UPGRADE = b"U"  # the key, then the key file as read and its format 2 replacement (``_upgrade_reply``)
_LENGTH_BYTES = 4
_MAX_KEY_FILE = 64 * 1024  # storage.keyfile.MAX_FILE_BYTES (not imported here: that module imports the crypto)
_MAX_REPLY = 1 + KEY_BYTES + 2 * (_LENGTH_BYTES + _MAX_KEY_FILE + 1)  # an error's JSON is shorter

_lock = threading.Lock()
_waiting: subprocess.Popen[bytes] | None = None


class HelperFailed(Exception):
    """The helper process did not answer (it could not start, died, or said something unreadable)."""


def prestart() -> None:
    """Start a helper now, unless one is waiting already: its start and imports happen while the passphrase is
    typed. One unlock uses it up; the unlock page calls this again when it shows after a lock."""
    global _waiting
    with _lock:
        if _waiting is not None and _waiting.poll() is None:
            return
        try:
            _waiting = _start()
        except OSError as error:
            _log.warning("key helper not started: %s", type(error).__name__)
            _waiting = None


def unwrap_in_helper(key_path: Path, passphrase: str, *, fallback: bool = True) -> bytearray:
    """The data key from the key file at ``key_path``, unwrapped with ``passphrase`` (slow by design: call it off
    the UI thread). Raises ``WrongPassphrase`` or ``ProfileDamaged`` as the unwrap here would; without
    ``fallback`` (the bundle's smoke test) a helper that cannot answer raises ``HelperFailed``."""
    return ask(key_path, passphrase).unwrap(key_path, passphrase, fallback=fallback)


class Asked:
    """A request already sent to a helper: ``unwrap`` reads its answer (on a worker: it waits for the derivation),
    ``close`` ends a helper whose answer is not wanted (the unlock was refused before it read it)."""

    def __init__(self, key_path: Path, helper: subprocess.Popen[bytes] | None, failure: str | None) -> None:
        self._key_path = key_path
        self._helper = helper
        self._failure = failure  # why the request could not be sent: the unwrap is then done in the app

    def unwrap(self, key_path: Path, passphrase: str, *, fallback: bool = True) -> bytearray:
        """The data key, as ``unwrap_in_helper``; ``passphrase`` must be the one asked (it is used again only when
        the helper fails and the app unwraps itself). Fits ``unlock_profile``'s ``unwrap_key``."""
        if key_path != self._key_path:
            raise ValueError("asked for another key file")
        try:
            return self._answer()
        except HelperFailed as error:
            if not fallback:
                raise
            _log.warning("key helper failed (%s): unwrapping in the app", error)
        from storage.keyfile import unwrap_file

        return unwrap_file(key_path, passphrase)

    def close(self) -> None:
        """End the helper unless it has answered already (nothing is read from it after this)."""
        helper, self._helper = self._helper, None
        if self._failure is None:
            self._failure = "closed"
        if helper is not None:
            _end(helper)

    def _answer(self) -> bytearray:
        helper = self._helper
        if helper is None:
            raise HelperFailed(self._failure or "closed")
        self._helper = None
        reply = bytearray(_MAX_REPLY)  # read into a buffer overwritten afterwards: the key is in no bytes object
        size = 0
        try:
            assert helper.stdout is not None
            with cast(io.BufferedReader, helper.stdout) as answer:  # what Popen makes of a pipe (it has readinto)
                while size < _MAX_REPLY and (count := answer.readinto(memoryview(reply)[size:])):
                    size += count
            helper.wait()
            return _answer(reply, size, self._key_path, helper.returncode)
        except OSError as error:
            raise HelperFailed(type(error).__name__) from None
        finally:
            _end(helper)
            wipe_bytes(reply)


def ask_for_profile(directory: Path, passphrase: str) -> Asked:
    """``ask`` for the key file of the profile in ``directory``: at Enter this imports nothing (the preload thread
    imports this module first; an Enter before it has asks once it is done), so the UI thread imports nothing beside
    the preload's thread."""
    return ask(key_file_path(directory), passphrase)


def ask(key_path: Path, passphrase: str) -> Asked:
    """Send the key file's path and the passphrase to the waiting helper (one is started if none waits) and return
    at once: the derivation starts now, on its own core, while the caller goes on. Cheap enough for the UI thread
    at Enter (a write of a few hundred bytes into a pipe); never raises for a helper that cannot run (``unwrap``
    then unwraps in the app)."""
    try:
        helper = _take()
    except HelperFailed as error:
        return Asked(key_path, None, str(error))
    request = json.dumps({"key_file": str(key_path), "passphrase": passphrase}).encode("utf-8")
    try:
        assert helper.stdin is not None
        with helper.stdin:  # closed: the helper reads to the end of its input
            helper.stdin.write(request)
    except OSError as error:  # it died before reading (a broken pipe)
        _end(helper)
        return Asked(key_path, None, type(error).__name__)
    return Asked(key_path, helper, None)


def _start() -> subprocess.Popen[bytes]:
    return start_process(FROZEN_ARGUMENT, _BOOT)


def start_process(frozen_argument: str, boot: str) -> subprocess.Popen[bytes]:
    """A helper process of this program with pipes to its standard input and output: the bundle's executable with
    ``frozen_argument`` (``main.py`` dispatches it), else this interpreter running ``boot`` with the source tree as
    its first argument. Also the sync's child (``sync.child``)."""
    if getattr(sys, "frozen", False):
        command = [sys.executable, frozen_argument]
    else:
        command = [sys.executable, "-c", boot, str(_ROOT)]
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # Windows: no console window flashes up
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            creationflags=flags)


def _take() -> subprocess.Popen[bytes]:
    global _waiting
    with _lock:
        helper, _waiting = _waiting, None
    if helper is None or helper.poll() is not None:
        try:
            helper = _start()
        except OSError as error:
            raise HelperFailed(type(error).__name__) from None
    return helper


def _end(helper: subprocess.Popen[bytes]) -> None:
    """Kill ``helper`` unless it has exited, and close its pipes."""
    if helper.poll() is None:
        helper.kill()
        helper.wait()
    for pipe in (helper.stdin, helper.stdout):
        if pipe is not None and not pipe.closed:
            with contextlib.suppress(OSError):  # the request's unflushed bytes, to a helper that is gone
                pipe.close()


def write_upgrade(path: Path, read: bytes, upgraded: bytes) -> None:
    """Replace the key file at ``path`` by its format 2 ``upgraded`` unless it is no longer the ``read`` bytes
    (another process's new passphrase is not undone by the old one's wrap). Only the profile lock's holder calls
    this. Atomic, so a crash leaves the old file or the new; a failed write is logged and the unlock goes on (it is
    tried again next time)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(read) + 1) != read:
                return
        write_atomically(path, upgraded)
    except (OSError, DiskFull) as error:  # DiskFull: ENOSPC, not an OSError
        _log.warning("key file not upgraded to format 2: %s", type(error).__name__)


def _upgrade_reply(key: bytearray, read: bytes, upgraded: bytes) -> bytes:
    return b"".join([_UPGRADE, key, len(read).to_bytes(_LENGTH_BYTES, "big"), read,
                     len(upgraded).to_bytes(_LENGTH_BYTES, "big"), upgraded])


def _answer(reply: bytearray, size: int, key_path: Path, returncode: int) -> bytearray:
    if size == 1 + KEY_BYTES and reply[:1] == _KEY and returncode == 0:
        return reply[1:size]
    if size > 1 + KEY_BYTES and reply[:1] == _UPGRADE and returncode == 0:
        return _key_and_upgrade(reply, size, key_path)
    try:
        answer = json.loads(bytes(reply[:size]))
        error = answer["error"]
    except (ValueError, KeyError, TypeError):
        raise HelperFailed(f"no answer, exit status {returncode}") from None
    if error == "wrong_passphrase":
        raise WrongPassphrase()
    if error == "damaged":
        raise ProfileDamaged(key_path, str(answer.get("reason", "damaged or tampered")))
    if error == "too_new":  # the numbers come from the helper: this module never imports storage.keyfile
        versions = answer.get("found"), answer.get("supported")
        if all(isinstance(version, int) for version in versions):
            raise KeyFileTooNew(*versions)
    raise HelperFailed(str(error))


def _key_and_upgrade(reply: bytearray, size: int, key_path: Path) -> bytearray:
    """The key of an upgrade reply, after writing the upgraded key file it carries (the app holds the lock)."""
    parts, at = [], 1 + KEY_BYTES
    for _ in range(2):
        length = int.from_bytes(reply[at:at + _LENGTH_BYTES], "big")
        at += _LENGTH_BYTES
        parts.append(bytes(reply[at:at + length]))
        at += length
    if at != size or not all(parts):
        raise HelperFailed("an unreadable upgrade")
    write_upgrade(key_path, *parts)
    return reply[1:1 + KEY_BYTES]


def serve() -> None:
    """The helper itself: imports the crypto, reads one request from standard input, answers, exits. It writes no
    file: a format 1 key file's format 2 replacement goes back with the key, for the app to write."""
    from storage.keyfile import unwrap_for_upgrade

    raw = sys.stdin.buffer.read()
    if not raw:
        return  # the app quit (or locked) without asking: nothing to do
    request = json.loads(raw)
    key_path = Path(request["key_file"])
    try:
        key, read, upgraded = unwrap_for_upgrade(key_path, request["passphrase"])
        reply = _KEY + key if upgraded is None else _upgrade_reply(key, read, upgraded)
    except WrongPassphrase:
        reply = json.dumps({"error": "wrong_passphrase"}).encode("utf-8")
    except KeyFileTooNew as error:
        reply = json.dumps({"error": "too_new", "found": error.found, "supported": error.supported}).encode("utf-8")
    except ProfileDamaged as error:
        reply = json.dumps({"error": "damaged", "reason": error.reason}).encode("utf-8")
    sys.stdout.buffer.write(reply)
    sys.stdout.flush()
    # At once, without the interpreter's shutdown (tens of milliseconds with cryptography loaded): the app reads
    # until the pipe closes, and nothing else here needs finishing.
    os._exit(0)
