"""Crash durability: a child saving in a loop is SIGKILLed at random moments; every acknowledged save survives."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from storage_support import CHEAP_KDF, PASSPHRASE, TODAY

from ibic.demo import demo_cases
from storage.database import connect
from storage.profile import Profile, create_profile, database_path, unlock_profile

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 20

CHILD = """
import sys
from pathlib import Path
from storage.profile import unlock_profile

directory, passphrase, case_id = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
profile = unlock_profile(directory, passphrase)
case = profile.cases.load(case_id)
counter = int(case.origin_note)
print("ready", flush=True)
while True:
    counter += 1
    case.origin_note = str(counter)
    # A second field on every third save, so some saves write two journal entries.
    if counter % 3 == 0:
        case.investigation.situation = f"situation {counter}"
    profile.cases.save(case)
    print(counter, flush=True)
"""


def _check_database(profile_dir: Path, profile: Profile) -> None:
    with profile._db.reading() as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA cipher_integrity_check").fetchall() == []
    assert profile.audit.verify().ok


@pytest.mark.slow
def test_every_acknowledged_save_survives_sigkill(profile_dir: Path) -> None:
    people, cases = demo_cases(TODAY)
    case = cases[0]
    case.origin_note = "0"
    profile = create_profile(profile_dir, PASSPHRASE, user_id="u1", device_id="d1", kdf=CHEAP_KDF)
    profile.people.save(people[0])
    profile.cases.save(case)
    profile.lock()
    rng = random.Random(20261123)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    acknowledged_total = 0
    for _round in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(profile_dir), PASSPHRASE, case.id],
            stdout=subprocess.PIPE, text=True, env=env, cwd=REPO,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        lines = child.stdout.read().split()
        child.wait()
        child.stdout.close()
        acknowledged = [int(line) for line in lines if line.isdigit()]
        acknowledged_total += len(acknowledged)
        reopened = unlock_profile(profile_dir, PASSPHRASE)
        try:
            _check_database(profile_dir, reopened)
            stored = int(reopened.cases.load(case.id).origin_note)
            if acknowledged:
                assert stored >= acknowledged[-1]
            # The journal holds the latest value of the field, pending, in the same transaction as the document.
            pending = {c.path: c.value for c in reopened.journal.pending()}
            assert pending["origin_note"] == str(stored)
        finally:
            reopened.lock()
    assert acknowledged_total > ROUNDS  # the kills really landed mid-loop, not before the first save


def test_the_sqlcipher_file_checks_pass_after_a_clean_close(profile_dir: Path) -> None:
    profile = create_profile(profile_dir, PASSPHRASE, user_id="u1", kdf=CHEAP_KDF)
    key = bytearray(profile._db.key)
    profile.lock()
    connection = connect(database_path(profile_dir), key)
    try:
        assert connection.execute("PRAGMA cipher_integrity_check").fetchall() == []
    finally:
        connection.close()
