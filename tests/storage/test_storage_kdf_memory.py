"""The key derivation's memory (Argon2id's block, 19 MiB at the least) does not stay in the process after unlocks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from storage_support import PASSPHRASE

REPO = Path(__file__).resolve().parents[2]
# A fresh process, so that nothing else the test run holds moves its resident memory.
UNLOCKS = """
import sys
from pathlib import Path
import ctypes  # what a derivation and an unwrap import (argon2, cryptography, the trim): in memory before it is read
import argon2.low_level
import storage.keyfile
from storage.kdf import KdfParameters
from storage.profile import create_profile, unlock_profile

def resident_mib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))

directory, passphrase = Path(sys.argv[1]), sys.argv[2]
before = resident_mib()
create_profile(directory, passphrase, user_id="Test", kdf=KdfParameters(19 * 1024, 2, 1)).lock()
for _ in range(3):
    unlock_profile(directory, passphrase).lock()
print(before, resident_mib())
"""


def test_three_unlocks_leave_no_derivation_block_resident(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", UNLOCKS, str(tmp_path / "profile"), PASSPHRASE], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, check=True,
                            timeout=120)
    before, after = (float(figure) for figure in result.stdout.split())
    # The database's own caches take a few MiB; a kept 19 MiB block would take more than 10.
    assert after - before < 10, (before, after)
