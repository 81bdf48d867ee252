"""The app as started from a shell: a demo folder is removed on SIGTERM and SIGINT too, and --demo --profile DIR
creates the demo profile in DIR."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Poll ``condition`` until it holds (the app runs in another process: no Qt signal to wait on)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, process.communicate()[1].decode(errors="replace")
        assert time.monotonic() < deadline, "the app did not get there in time"
        time.sleep(0.05)


def _start(tmp_path: Path, *arguments: str) -> tuple[subprocess.Popen[bytes], Path, Path]:
    temp, state = tmp_path / "tmp", tmp_path / "state"
    temp.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(temp),
                   "XDG_STATE_HOME": str(state), "XDG_CONFIG_HOME": str(tmp_path / "config"),
                   "XDG_DATA_HOME": str(tmp_path / "data")}
    process = subprocess.Popen([sys.executable, "main.py", "--demo", *arguments], cwd=REPO, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return process, temp, state / "Hembesok" / "log" / "hembesok.log"


def _demo_folders(temp: Path) -> list[Path]:
    return [path for path in temp.glob("hembesok-demo-*") if path.is_dir()]  # the demo settings file may stay


def _running(log: Path) -> Callable[[], bool]:
    """The event loop runs: the app logs its start from the loop's first turn."""
    return lambda: log.exists() and "start" in log.read_text(encoding="utf-8")


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_demo_folder_is_removed_when_the_app_is_signalled(tmp_path: Path, number: int) -> None:
    process, temp, log = _start(tmp_path)
    try:
        _wait_for(lambda: any(temp.glob("hembesok-demo-*/profile/profile.key")), process)
        _wait_for(_running(log), process)
        process.send_signal(number)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, process.communicate()[1].decode(errors="replace")
    assert not _demo_folders(temp)


def test_demo_with_a_profile_folder_creates_the_demo_profile_there(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen"
    process, temp, log = _start(tmp_path, "--profile", str(chosen))
    try:
        _wait_for(_running(log), process)
        assert (chosen / "profile.key").exists() and (chosen / "profile.db").exists()
        assert not _demo_folders(temp)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert (chosen / "profile.key").exists()  # chosen, so kept
