"""Two writers of one file at once (an unlock's key-file upgrade and ``storage.recover`` setting a passphrase, or
two throttle counts) each write a temporary file of their own: the file ends as one writer's whole bytes."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from storage.errors import DiskFull
from storage.files import write_atomically


def test_two_writers_at_once_leave_one_whole_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both writers have written their bytes before either renames (a barrier in ``os.replace``): on main they
    shared ``.NAME.tmp``, so the second truncated and overwrote the first's bytes and then found the file renamed
    away (FileNotFoundError), and the file left was a mix of both. Fails on main."""
    target = tmp_path / "keyfile.json"
    target.write_bytes(b"old")
    contents = {"long": b"L" * 200_000, "short": b"S" * 1_000}
    both_written = threading.Barrier(2, timeout=30)
    real_replace = os.replace

    def replace_once_both_wrote(source: object, destination: object) -> None:
        if threading.current_thread().name in contents:
            both_written.wait()
        real_replace(source, destination)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace_once_both_wrote)
    failures: list[BaseException] = []

    def write(name: str) -> None:
        try:
            write_atomically(target, contents[name])
        except BaseException as error:  # reported below, with the thread's name
            failures.append(error)

    writers = [threading.Thread(target=write, args=(name,), name=name) for name in contents]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert failures == []
    assert target.read_bytes() in contents.values()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keyfile.json"]  # no temporary file left behind
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_failed_write_removes_its_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "keyfile.json"
    target.write_bytes(b"old")

    def refuse(_source: object, _destination: object) -> None:
        raise PermissionError("refused")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keyfile.json"]


def test_no_room_for_the_temporary_file_is_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk so full that the temporary file cannot even be made (ENOSPC from its open): ``DiskFull``, which the
    callers say to the person, as before s22-loose (its mkstemp stood outside the try: a bare OSError). The file
    and the folder are as they were. Fails on s22-loose."""
    target = tmp_path / "keyfile.json"
    target.write_bytes(b"old")
    real_open = os.open

    def full(path: object, *args: object, **kwargs: object) -> int:
        if Path(str(path)).name.startswith(".keyfile.json."):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", full)
    with pytest.raises(DiskFull):
        write_atomically(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["keyfile.json"]
