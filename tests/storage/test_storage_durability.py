"""Crash durability: a child saving in a loop is SIGKILLed at random moments; every acknowledged save survives."""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from storage_support import CHEAP_KDF, PASSPHRASE, TODAY

from ibic.demo import demo_cases
from storage.database import connect
from storage.profile import Profile, create_profile, database_path, unlock_profile

REPO = Path(__file__).resolve().parents[2]
ROUNDS = 20
# A line from the savers' parent never takes this long (a round is ~0.3 s): past it the test fails at once and says
# where each process waits, instead of holding its worker until pytest-timeout (one whole run hung so, session 24).
LINE_WAIT_SECONDS = 120

# One process imports the store once and forks a saver for each round (an interpreter start and those imports were
# most of a round's ~0.4 s): each saver unlocks the profile itself, says "ready" and its pid, saves in a loop and is
# SIGKILLed by the test; the parent reaps it and says "reaped" after every line the saver wrote. Each line is one
# write(2) of its own (``say``): print() under PYTHONUNBUFFERED (set on this machine, inherited by a run) writes
# the number and its newline in two, so a kill between them left "123" without its end, the parent's "reaped" was
# read as "123reaped" and the test waited for a "reaped" already sent (the hung runs of session 24 and 25).
CHILD = """
import os, sys
from pathlib import Path
from storage.profile import unlock_profile

directory, passphrase, case_id = Path(sys.argv[1]), sys.argv[2], sys.argv[3]

def say(*words):
    os.write(1, (" ".join(map(str, words)) + "\\n").encode())

def save_in_a_loop():
    profile = unlock_profile(directory, passphrase)
    case = profile.cases.load(case_id)
    counter = int(case.origin_note)
    say("ready", os.getpid())
    while True:
        counter += 1
        case.origin_note = str(counter)
        # A second field on every third save, so some saves write two journal entries.
        if counter % 3 == 0:
            case.investigation.situation = f"situation {counter}"
        profile.cases.save(case)
        say(counter)

while sys.stdin.readline():  # a line a round
    saver = os.fork()
    if saver == 0:
        try:
            save_in_a_loop()
        finally:
            os._exit(1)  # never back into this loop
    os.waitpid(saver, 0)
    say("reaped")
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
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(profile_dir), PASSPHRASE, case.id],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO,
                             start_new_session=True)  # its group: it and a saver under way, should the test fail
    assert child.stdin is not None and child.stdout is not None
    lines = _Lines(child)
    try:
        _kill_and_check_rounds(child, lines, profile_dir, case.id, rng)
    except BaseException:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        lines.close()
        raise
    child.stdin.close()
    assert child.wait(timeout=60) == 0
    lines.close()


class _Lines:
    """The child's lines, read by a thread of their own, so that a wait for one is bounded (``next``)."""

    def __init__(self, child: subprocess.Popen[str]) -> None:
        self._child = child
        self._lines: queue.Queue[str] = queue.Queue()
        self.saver: int | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._child.stdout is not None
        for line in self._child.stdout:
            self._lines.put(line)
        self._lines.put("")  # the end of its output

    def close(self) -> None:
        """After the child has ended: the reader has its end of output; then the pipe is closed."""
        assert self._child.stdout is not None
        self._reader.join(timeout=LINE_WAIT_SECONDS)
        self._child.stdout.close()

    def next(self, awaited: str) -> str:
        try:
            return self._lines.get(timeout=LINE_WAIT_SECONDS)
        except queue.Empty:
            waits = ", ".join(f"{name} {_waiting_in(pid)}" for name, pid in
                              (("parent", self._child.pid), ("saver", self.saver)) if pid is not None)
            raise AssertionError(f"no line from the savers' parent in {LINE_WAIT_SECONDS} s while awaiting "
                                 f"{awaited} ({waits})") from None


def _waiting_in(pid: int) -> str:
    """Where a process waits, as the kernel tells it: its state and wait channel (or that it is gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        channel = Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return "gone"
    return f"state {state}, waiting in {channel or '-'}"


def _kill_and_check_rounds(child: subprocess.Popen[str], lines_of: _Lines, profile_dir: Path, case_id: str,
                           rng: random.Random) -> None:
    assert child.stdin is not None
    acknowledged_total = 0
    for _round in range(ROUNDS):
        lines_of.saver = None
        child.stdin.write("\n")
        child.stdin.flush()
        ready, saver = lines_of.next("ready").split()
        assert ready == "ready"
        lines_of.saver = int(saver)
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(int(saver), signal.SIGKILL)
        lines = []
        while (line := lines_of.next("reaped")) != "reaped\n":
            assert line, "the savers' parent ended"
            lines.append(line.strip())
        assert all(line.isdigit() for line in lines), lines[-3:]  # a number a line, each whole
        acknowledged = [int(line) for line in lines]
        acknowledged_total += len(acknowledged)
        reopened = unlock_profile(profile_dir, PASSPHRASE)
        try:
            _check_database(profile_dir, reopened)
            stored = int(reopened.cases.load(case_id).origin_note)
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
