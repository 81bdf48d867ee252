"""One lock a profile folder, held by the app for its whole run and by every command line that writes the profile
(``storage.recover``, ``storage.restore``) while it works: a recovery's new key file must not race the app's key-file
upgrade at an unlock, nor a restore replace the database under an open app.

The lock is the operating system's own on an open file (``hembesok.lock`` in the folder): ``flock`` on POSIX,
``msvcrt.locking`` of its first byte on Windows. The system lets go of it when the process ends however it ends (a
crash, a SIGKILL, a power cut), so a lock left by a dead process never keeps anyone out and no stale-owner guess (a
process id that may have been reused) is needed. The file holds the holder's process id, for IT only.

On POSIX the holder deletes the file when it lets go, so a closed profile leaves none behind; whoever took the
lock on that file meanwhile sees it is no longer the one at the path and tries again. On Windows a file another
process has open cannot be deleted, so the holder closes it first and its delete simply fails while another holds
it. The process that holds the lock also holds it for its helper processes; the key helper (``storage.key_helper``)
writes nothing itself, so one that outlives a killed app cannot write under the next holder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from pathlib import Path

from storage.files import remove_stray_temporaries

LOCK_NAME = "hembesok.lock"
_RETRY_SECONDS = 0.05
_HELD_ERRNOS = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", errno.EDEADLK)}


IN_USE = 3  # a command line's exit code when the profile is held (2: refused for its input or the profile's state)


def in_use_message(outcome: str) -> str:
    """A command line's refusal while the profile is held, ``outcome`` first ("Nothing was restored")."""
    return (f"{outcome}: the profile is in use. Hembesök (or another command) has it open; close the app on this "
            "laptop, or wait for the other command to end, and run this again.")


class ProfileHeld(Exception):
    """Another process (the app, or a command line) holds the profile."""


class ProfileLock:
    """The lock of one profile folder: ``acquire`` (``ProfileHeld``, or an OSError when the folder cannot hold a
    lock file), ``release``; also a context manager."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / LOCK_NAME
        self._descriptor: int | None = None

    @property
    def held(self) -> bool:
        return self._descriptor is not None

    def acquire(self, wait_seconds: float = 0.0) -> None:
        """Take the lock, waiting up to ``wait_seconds`` for a holder that is ending; ``ProfileHeld`` after that."""
        deadline = time.monotonic() + wait_seconds
        while not self.try_acquire():
            if time.monotonic() >= deadline:
                raise ProfileHeld()
            time.sleep(_RETRY_SECONDS)
        # No other process writes the profile now: what an interrupted write left is rubbish (storage.files).
        remove_stray_temporaries(self.path.parent)

    def try_acquire(self) -> bool:
        """Take the lock if no other process holds it; False when one does."""
        if self._descriptor is not None:
            return True
        while True:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
            try:
                if not _lock(descriptor):
                    os.close(descriptor)
                    return False
                if not _still_at(self.path, descriptor):
                    os.close(descriptor)  # the holder that let go just now deleted it: lock the one at the path
                    continue
                os.ftruncate(descriptor, 0)
                os.write(descriptor, f"{os.getpid()}\n".encode("ascii"))
            except BaseException:
                os.close(descriptor)
                raise
            self._descriptor = descriptor
            return True

    def release(self) -> None:
        descriptor, self._descriptor = self._descriptor, None
        if descriptor is None:
            return
        if sys.platform == "win32":
            os.close(descriptor)  # closing lets go; the delete fails (and is left) while another process has it open
            with contextlib.suppress(OSError):
                self.path.unlink()
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # still held: a process that opened it meanwhile finds it gone and tries again
        os.close(descriptor)

    def __enter__(self) -> ProfileLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _lock(descriptor: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            os.lseek(descriptor, 0, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in _HELD_ERRNOS:
            return False
        raise
    return True


def _still_at(path: Path, descriptor: int) -> bool:
    """Whether the file locked is the one at ``path`` (POSIX: a holder deletes it as it lets go)."""
    if sys.platform == "win32":
        return True
    try:
        at_path = os.stat(path)
    except FileNotFoundError:
        return False
    locked = os.fstat(descriptor)
    return (at_path.st_dev, at_path.st_ino) == (locked.st_dev, locked.st_ino)
