"""Small file-system helpers: atomic, owner-only writes."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from storage.errors import DiskFull

OWNER_ONLY = 0o600


def write_atomically(path: Path, data: bytes, mode: int = OWNER_ONLY) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file, never a mix."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.chmod(temporary, mode)  # O_CREAT's mode is filtered by the umask; the key file must be owner-only
        os.replace(temporary, path)
        sync_directory(path.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if error.errno == errno.ENOSPC:
            raise DiskFull() from error
        raise


def sync_directory(directory: Path) -> None:
    """fsync a directory so a rename in it survives a power cut (a no-op where the OS does not allow it)."""
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def wipe_bytes(buffer: bytearray) -> None:
    """Overwrite key material held in a bytearray."""
    for index in range(len(buffer)):
        buffer[index] = 0
