"""The key helper writes no file: a format 1 key file's format 2 replacement goes back to the app with the key, and
the app, which holds the profile lock, writes it (``storage.key_helper.write_upgrade``). So an app SIGKILLed while
its helper derives leaves a helper that can no longer write over the key file of the lock's next holder (a new app,
or ``storage.recover`` writing a new passphrase's file).

Real processes: an "app" (a Python process holding the profile lock, as ``ui.app`` does, that asks the real key
helper as the unlock page does at Enter), a real SIGKILL, then this process takes the lock as the next holder would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from keyfile_support import rewrite_as_format_1
from storage_support import PASSPHRASE

from storage import key_helper
from storage.kdf import KdfParameters
from storage.profile import Profile, create_profile, key_file_path, unlock_profile
from storage.profile_lock import ProfileLock

REPO = Path(__file__).resolve().parents[2]
# A derivation of ~0.2 s (more on a loaded machine): the helper is still deriving when the app is killed, as at a
# real unlock (the calibrated cost is ~0.5 s); the tests' cheap parameters could finish before the kill.
SLOW_KDF = KdfParameters(memory_kib=64 * 1024, iterations=6)

# The app's side of an unlock: the profile lock, then the request to a helper; it prints the helper's process id
# and waits, never reading the answer, until it is killed.
APP = """
import sys
from pathlib import Path
from storage import key_helper
from storage.profile_lock import ProfileLock
directory = Path(sys.argv[1])
lock = ProfileLock(directory)
lock.acquire()
asked = key_helper.ask_for_profile(directory, sys.stdin.readline().rstrip("\\n"))
print(asked._helper.pid, flush=True)
sys.stdin.read()
"""


@pytest.fixture
def format_1(tmp_path: Path) -> Path:
    """A locked profile whose key file is format 1 (as before session 21) with a slow derivation."""
    directory = tmp_path / "profile"
    create_profile(directory, PASSPHRASE, user_id="handlaggare1", device_id="device1", kdf=SLOW_KDF).lock()
    rewrite_as_format_1(key_file_path(directory), PASSPHRASE, PASSPHRASE)
    return directory


def _exited(pid: int) -> bool:
    """Whether process ``pid`` has ended (gone, or a zombie nobody reaped yet: it runs no code either way)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rpartition(")")[2].split()[0] == "Z"


def test_a_helper_outliving_a_killed_app_does_not_write_the_next_holders_key_file(format_1: Path) -> None:
    """On main the helper rewrote the format 1 file as format 2 after its app was killed, while this process held
    the profile lock: fails on main (the key file's bytes changed under the lock)."""
    before = key_file_path(format_1).read_bytes()
    app = subprocess.Popen([sys.executable, "-c", APP, str(format_1)], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert app.stdin is not None and app.stdout is not None
    app.stdin.write(PASSPHRASE + "\n")
    app.stdin.flush()
    helper = int(app.stdout.readline())
    app.send_signal(signal.SIGKILL)
    app.wait(timeout=30)
    app.stdin.close()
    app.stdout.close()
    with ProfileLock(format_1):  # the next holder (the system let go of the killed app's lock)
        deadline = time.monotonic() + 120
        while not _exited(helper) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _exited(helper)
        assert key_file_path(format_1).read_bytes() == before
    unlock_profile(format_1, PASSPHRASE, backup=False).lock()  # still opens (and is upgraded now, in this process)
    assert key_file_path(format_1).read_bytes() != before


def test_an_upgrade_is_not_written_over_a_key_file_changed_since_the_helper_read_it(profile: Profile,
                                                                                     profile_dir: Path) -> None:
    """The app's write of the helper's upgrade checks the file is still the bytes the helper read (it cannot
    change while the app holds the lock, but the check stays, as in ``storage.keyfile.unwrap_file``)."""
    profile.lock()
    key_path = key_file_path(profile_dir)
    read = key_path.read_bytes()
    changed = read.replace(b"\n", b"\n ", 1)
    key_path.write_bytes(changed)
    key_helper.write_upgrade(key_path, read, b"upgraded")
    assert key_path.read_bytes() == changed
    key_helper.write_upgrade(key_path, changed, b"upgraded")
    assert key_path.read_bytes() == b"upgraded"
