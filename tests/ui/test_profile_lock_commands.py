"""One profile lock for the app and the command lines that write the profile (``storage.profile_lock``): IT's
``storage.recover`` and ``storage.restore`` are refused, with an English message and exit code 3, while the app has
the profile open; the app is refused in Swedish while a command holds it; a holder killed with SIGKILL keeps no one
out; what an interrupted atomic write left is removed by the next holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from app_child import REPO, run_app_script, start_app, tagged
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from test_one_copy_a_profile import SECOND
from uihelpers import CASEWORKER, PASSPHRASE

from storage.errors import WrongPassphrase
from storage.kdf import KdfParameters
from storage.profile import create_profile, database_path, key_file_path, unlock_profile
from storage.profile_lock import IN_USE, LOCK_NAME, ProfileLock

NEW_PASSPHRASE = "ny lång lösenfras för hembesök"
IN_USE_TEXT = "the profile is in use. Hembesök (or another command) has it open"


@pytest.fixture
def recoverable(tmp_path: Path) -> tuple[Path, Path]:
    """A profile with a recovery wrap (locked), and the municipality's private key for it."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key = tmp_path / "kommunen.pem"
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    public = private.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    directory = tmp_path / "profile"
    create_profile(directory, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters(),
                   recovery_public_key_pem=public).lock()
    return directory, key


def _command(module: str, *arguments: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *arguments], input=stdin, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO, timeout=120)


def _recover(directory: Path, key: Path) -> subprocess.CompletedProcess[str]:
    return _command("storage.recover", "--profile", str(directory), "--private-key", str(key),
                    "--new-passphrase-stdin", stdin=NEW_PASSPHRASE + "\n")


def _quit(app: subprocess.Popen[str]) -> None:
    if app.poll() is None:
        assert app.stdin is not None
        app.stdin.write("quit\n")
        app.stdin.flush()
    assert app.wait(timeout=60) == 0


def test_recover_is_refused_while_the_app_has_the_profile_open(recoverable: tuple[Path, Path],
                                                               tmp_path: Path) -> None:
    """On main the recovery wrote a new key file under the open app (exit 0): fails on main."""
    directory, key = recoverable
    before = key_file_path(directory).read_bytes()
    app = start_app(directory, tmp_path / "home")
    try:
        refused = _recover(directory, key)
    finally:
        _quit(app)
    assert (refused.returncode, refused.stdout) == (IN_USE, "")
    assert refused.stderr.startswith("Nothing was changed: " + IN_USE_TEXT)
    assert key_file_path(directory).read_bytes() == before
    unlock_profile(directory, PASSPHRASE, backup=False).lock()  # the passphrase is still the old one
    done = _recover(directory, key)  # the app closed: the same command works
    assert done.returncode == 0, done.stderr


def test_restore_is_refused_while_the_app_has_the_profile_open(demo_profile_dir: Path, tmp_path: Path) -> None:
    """On main the restore went on under the open app (here it checked the database and said it is intact, exit 2;
    a damaged one it replaced): fails on main."""
    database = database_path(demo_profile_dir)
    before = sorted(p.name for p in demo_profile_dir.iterdir())
    app = start_app(demo_profile_dir, tmp_path / "home")
    try:
        for how in (("--passphrase-stdin",), ("--unchecked",)):
            refused = _command("storage.restore", "--profile", str(demo_profile_dir), *how,
                               stdin=PASSPHRASE + "\n" if how[0] == "--passphrase-stdin" else "yes\n")
            assert (refused.returncode, refused.stdout) == (IN_USE, ""), how
            assert refused.stderr.startswith("Nothing was restored: " + IN_USE_TEXT), how
    finally:
        _quit(app)
    assert database.exists()
    assert sorted(p.name for p in demo_profile_dir.iterdir()) == before  # nothing set aside, nothing put back


def test_the_app_is_refused_in_swedish_while_a_command_holds_the_profile(demo_profile_dir: Path,
                                                                        tmp_path: Path) -> None:
    """The command lines' lock is the app's: held here as ``storage.restore`` holds it."""
    with ProfileLock(demo_profile_dir):
        refused = tagged(run_app_script(SECOND, str(demo_profile_dir), home=tmp_path / "home"), "SECOND")
    assert refused == {"code": 1, "shown": [
        "Hembesök är redan öppet med den här profilen. Byt till det fönstret i stället."]}


def test_an_app_killed_with_sigkill_does_not_keep_recover_out(recoverable: tuple[Path, Path], tmp_path: Path) -> None:
    directory, key = recoverable
    app = start_app(directory, tmp_path / "home")
    app.send_signal(signal.SIGKILL)
    app.wait()
    assert app.stdout is not None
    app.stdout.close()
    assert (directory / LOCK_NAME).read_text() == f"{app.pid}\n"  # left behind by the killed holder
    done = _recover(directory, key)
    assert done.returncode == 0, done.stderr
    with pytest.raises(WrongPassphrase):
        unlock_profile(directory, PASSPHRASE, backup=False)
    unlock_profile(directory, NEW_PASSPHRASE, backup=False).lock()
    assert not (directory / LOCK_NAME).exists()  # the command let go and removed it


def test_the_next_holder_removes_what_an_interrupted_write_left(demo_profile_dir: Path) -> None:
    strays = [demo_profile_dir / ".profile.key.k2j4x9.tmp", demo_profile_dir / ".profile.key.tmp"]
    for stray in strays:
        stray.write_bytes(b"{\"half")
    with ProfileLock(demo_profile_dir):
        assert [stray.exists() for stray in strays] == [False, False]


# The previous version's lock (ui/app.py before s22): a QLockFile on the same file, stale only when its process is
# gone. It prints whether it got the lock, then holds it until its stdin closes.
OLD_VERSION_LOCK = """
import sys
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
print(lock.tryLock(0), lock.error().name, flush=True)
sys.stdin.read()
"""


def _old_version(directory: Path) -> tuple[subprocess.Popen[str], str]:
    old = subprocess.Popen([sys.executable, "-c", OLD_VERSION_LOCK, str(directory / LOCK_NAME)],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert old.stdout is not None
    return old, old.stdout.readline().strip()


def test_the_previous_versions_qlockfile_and_the_profile_lock_refuse_each_other(tmp_path: Path) -> None:
    """During an upgrade a copy of the previous version may still run: Qt's QLockFile takes flock on the same file
    (and deletes it while holding it), so neither opens a profile the other holds; and the one the previous version
    takes over, this one's file, is refused though QLockFile calls it stale (no app name in it)."""
    old, said = _old_version(tmp_path)
    try:
        assert said == "True NoError"
        assert ProfileLock(tmp_path).try_acquire() is False
    finally:
        old.communicate("", timeout=30)
    with ProfileLock(tmp_path):
        old, said = _old_version(tmp_path)
        old.communicate("", timeout=30)
        assert said == "False LockFailedError"
    old, said = _old_version(tmp_path)  # let go: the previous version starts again
    old.communicate("", timeout=30)
    assert said == "True NoError"
