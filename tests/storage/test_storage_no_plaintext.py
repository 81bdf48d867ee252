"""Nothing personal is written in the clear: every byte the store writes is scanned, open and after close."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from storage_support import CHEAP_KDF, PASSPHRASE

REPO = Path(__file__).resolve().parents[2]
PERSONAL_NUMBER = "19861123-9883"

CHILD = """
import sys
from datetime import date
from pathlib import Path
from ibic.demo import demo_cases
from ibic.people import Person
from storage.kdf import KdfParameters
from storage.profile import create_profile, unlock_profile

directory, marker, passphrase = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
profile = create_profile(directory, passphrase, user_id="u1", kdf=KdfParameters({memory}, {iterations}, 1))
people, cases = demo_cases(date(2026, 11, 23))
greta = next(p for p in people if p.personal_number == "198611239883")
greta.given_name = marker
greta.address.street = marker + " gatan 1"
case = next(c for c in cases if c.person_id == greta.id)
case.origin_note = marker
profile.people.save(greta)
profile.cases.save(case)
for round in range(30):
    case.origin_note = f"{{marker}} ändring {{round}}"
    profile.cases.save(case)
profile.audit.record("view", case_id=case.id)
profile.lock()
profile = unlock_profile(directory, passphrase)
profile.backup_now()
loaded = profile.cases.load(case.id)
assert loaded.origin_note.startswith(marker)
assert profile.cases.list_summaries(text=marker[:8])
print("open", flush=True)
sys.stdin.readline()
profile.lock()
print("closed", flush=True)
"""


def _needles(marker: str) -> list[bytes]:
    texts = [marker, PERSONAL_NUMBER, PERSONAL_NUMBER.replace("-", ""), PERSONAL_NUMBER[2:]]
    return [text.encode(encoding) for text in texts for encoding in ("utf-8", "utf-16-le", "utf-16-be")]


def _hits(paths: list[Path], needles: list[bytes]) -> list[str]:
    found = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue  # vanished between listing and reading (another process's temporary file)
        found.extend(f"{path.name}: {needle!r}" for needle in needles if needle in data)
    return found


# Folders in the system temp directory that the test run's own machinery writes while this test runs: the bundle's
# build (tests/installer/conftest.py, started at collection; hundreds of MB read here: this test took 6.5-11 s in
# the CI runs of sessions 20-23, 1.5-2.7 s alone), the sync tests' PostgreSQL cluster and pytest's own temp folders
# (other tests', other workers'; this test's own folder, the profile's and its TMPDIR's parent, is scanned whole
# besides). The child is told of none of them: it writes its temp files to its own TMPDIR.
_RUN_FOLDERS = ("hembesok-bundle-", "hembesok-pg-", "pytest-of-")


def _walk(directory: Path, skip: tuple[str, ...]) -> Iterator[Path]:
    for top, folders, names in os.walk(directory):
        if skip and top == str(directory):
            folders[:] = [name for name in folders if not name.startswith(skip)]
        yield from (Path(top, name) for name in names)


def _files(directory: Path, newer_than: float | None = None, max_bytes: int | None = None,
           skip: tuple[str, ...] = ()) -> list[Path]:
    """The files under ``directory`` (those of its subfolders whose names start with one of ``skip`` left out)."""
    out = []
    # os.walk, not Path.rglob: the system temp directory is shared, and rglob raises when another program removes
    # a folder between listing it and opening it (a CI run failed on a PostgreSQL test cluster's folder so).
    for path in _walk(directory, skip):
        try:
            info = path.stat()
            if (path.is_file() and (newer_than is None or info.st_mtime >= newer_than)
                    and (max_bytes is None or info.st_size < max_bytes)):
                out.append(path)
        except OSError:
            continue  # vanished meanwhile: another program's temporary file
    return out


def test_no_marker_or_personnummer_in_any_file_open_or_closed(tmp_path: Path) -> None:
    marker = f"MARKÖR{uuid.uuid4().hex}"
    profile_dir = tmp_path / "profile"
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    started = time.time() - 1
    env = {**os.environ, "TMPDIR": str(private_tmp), "SQLITE_TMPDIR": str(private_tmp), "PYTHONPATH": str(REPO)}
    script = CHILD.format(memory=CHEAP_KDF.memory_kib, iterations=CHEAP_KDF.iterations)
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(profile_dir), marker, PASSPHRASE],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )
    assert child.stdout is not None and child.stdin is not None
    try:
        assert child.stdout.readline().strip() == "open"
        needles = _needles(marker)
        # The test's whole folder, not only the profile and TMPDIR: a file written beside the profile's folder would
        # otherwise go unseen, now that the system temp scan leaves pytest's folders out.
        written = _files(tmp_path)
        names = {p.name for p in written}
        assert {"profile.db", "profile.db-wal", "profile.key"} <= names
        assert any(p.parent.name == "backups" for p in written)
        assert _hits(written, needles) == []
        # Anything else written to the system temp directory meanwhile: the marker only (other programs on this
        # machine legitimately hold the public test personnummer).
        system_tmp = _files(Path(tempfile.gettempdir()), newer_than=started, max_bytes=64 * 1024 * 1024,
                            skip=_RUN_FOLDERS)
        assert _hits(system_tmp, needles[:3]) == []
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "closed"
    finally:
        child.stdin.close()
        assert child.wait(timeout=60) == 0
    closed = _files(tmp_path)
    assert "profile.db" in {p.name for p in closed}
    assert _hits(closed, _needles(marker)) == []
    system_tmp = _files(Path(tempfile.gettempdir()), newer_than=started, max_bytes=64 * 1024 * 1024, skip=_RUN_FOLDERS)
    assert _hits(system_tmp, _needles(marker)[:3]) == []
