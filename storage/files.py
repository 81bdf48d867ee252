"""Small file-system helpers: atomic, owner-only writes."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from storage.errors import DiskFull

OWNER_ONLY = 0o600
OWNER_ONLY_FOLDER = 0o700
TEMPORARY_SUFFIX = ".tmp"  # write_atomically's files: ".NAME.<random>.tmp"


def write_atomically(path: Path, data: bytes, mode: int = OWNER_ONLY) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves either the old or the new file, never a mix.

    Each write has a temporary file of its own (a unique name beside ``path``): with one shared name, two writers
    at once (an unlock's key-file upgrade and a passphrase set) wrote into one file and one of them replaced the
    other's half-written bytes, or found its temporary file already renamed away."""
    # mkstemp: O_EXCL with a fresh random name, created 0600 whatever the umask.
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
    except OSError as error:  # no room even for the empty file (no free inode, a full directory block)
        _raise_disk_full_for_enospc(error)
        raise
    temporary = Path(name)
    try:
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
        sync_directory(path.parent)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        _raise_disk_full_for_enospc(error)
        raise


def _raise_disk_full_for_enospc(error: OSError) -> None:
    """ENOSPC is raised as ``DiskFull`` (the callers say it to the person); any other error is left to the caller."""
    if error.errno == errno.ENOSPC:
        raise DiskFull() from error


def remove_stray_temporaries(directory: Path) -> None:
    """Delete the temporary files of writes a crash or a kill interrupted (``.NAME.*.tmp`` in ``directory``).

    Only safe while no write is under way: the profile lock's holder calls it right after taking the lock
    (``storage.profile_lock``), before anything of the profile is written."""
    with contextlib.suppress(OSError):
        for stray in directory.glob(f".*{TEMPORARY_SUFFIX}"):
            with contextlib.suppress(OSError):
                if stray.is_file() and not stray.is_symlink():
                    stray.unlink()


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


def owner_only(directory: Path, names: tuple[str, ...], subfolders: tuple[str, ...]) -> None:
    """Make ``directory`` and the named ``subfolders`` 0700 and every file in them whose name starts with one of
    ``names`` (or any file, in a subfolder) 0600, whatever modes they had: a folder that existed before, or a
    file made under a lax umask, must not let other accounts on the laptop read the profile."""
    if os.name != "posix":
        return
    for folder in (directory, *(directory / name for name in subfolders)):
        if not folder.is_dir():
            continue
        _chmod(folder, OWNER_ONLY_FOLDER)
        for path in folder.iterdir():
            if (folder != directory or path.name.startswith(names)) and path.is_file() and not path.is_symlink():
                _chmod(path, OWNER_ONLY)


def _chmod(path: Path, mode: int) -> None:
    # A file system without modes (a FAT stick) or a file another account owns: the profile still opens; the
    # modes are what this account can set, not a precondition of working.
    with contextlib.suppress(OSError):
        os.chmod(path, mode)
