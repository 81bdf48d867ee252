"""A second copy of the program on a profile that one has open is refused with a message (``ui.app.hold_profile``);
a copy that was killed leaves no lock that keeps the next start out."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from app_child import APP_UNTIL_TOLD, run_app_script, start_app, tagged

# The second copy: what it shows (a modal message, read and closed) and its exit code; or that its window came up.
SECOND = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
shown = []
def answer():
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        shown.append(box.text())
        box.accept()
    else:
        QTimer.singleShot(10, answer)
original_exec = QApplication.exec
def exec_and_quit():
    shown.append("window")
    QTimer.singleShot(0, QApplication.instance().quit)
    return original_exec()
QApplication.exec = staticmethod(exec_and_quit)
QTimer.singleShot(0, answer)
import main
code = main.main(["--profile", sys.argv[1]])
print("SECOND", json.dumps({"code": code, "shown": shown}))
"""


# The second copy started with a demo profile made in the folder named (``--demo --profile``).
SECOND_DEMO = SECOND.replace('main.main(["--profile", sys.argv[1]])', 'main.main(["--demo", "--profile", sys.argv[1]])')
assert SECOND_DEMO != SECOND


# The first copy as it ends after its window closed (at 10,000 cases its store keeps the lists for the next unlock and
# closes, ~250 ms): here it lets the profile go only once the second copy's own lock attempt has found it held
# (``second-looked``, written by ``SECOND_AFTER_A_LOOK``), so that the second's start is the one that waits.
ENDING_SLOWLY = """
import sys, time
from pathlib import Path
import ui.app
release = ui.app._release_profile
def release_once_the_second_looked():
    looked = Path(sys.argv[1]) / "second-looked"
    deadline = time.monotonic() + 60
    while not looked.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    release()
ui.app._release_profile = release_once_the_second_looked
""" + APP_UNTIL_TOLD

# The second copy, its lock attempt watched: whether the lock was held when the app asked for it (then the first copy
# is told to let go), and whether the app's own attempt, made after that, still got it (it waited for the release).
SECOND_AFTER_A_LOOK = """
import sys
from pathlib import Path
import ui.app
class WatchedLock(ui.app.ProfileLock):
    def acquire(self, wait_seconds=0.0):
        held = not self.try_acquire()
        if not held:
            self.release()
        print("HELD_AT_START", "true" if held else "false", flush=True)
        (Path(sys.argv[1]) / "second-looked").touch()
        return super().acquire(wait_seconds)
ui.app.ProfileLock = WatchedLock
""" + SECOND


def _second(profile: Path, home: Path, script: str = SECOND) -> dict[str, object]:
    output = run_app_script(script, str(profile), home=home)
    if script is SECOND_AFTER_A_LOOK:
        assert tagged(output, "HELD_AT_START") is True  # held at the app's own attempt: its wait is tested
    value: dict[str, object] = tagged(output, "SECOND")
    return value


def test_a_second_copy_on_an_open_profile_is_refused_in_swedish(demo_profile_dir: Path, tmp_path: Path) -> None:
    first = start_app(demo_profile_dir, tmp_path / "home")
    try:
        refused = _second(demo_profile_dir, tmp_path / "home")
        assert refused == {"code": 1, "shown": [
            "Hembesök är redan öppet med den här profilen. Byt till det fönstret i stället."]}
        assert first.stdin is not None
        first.stdin.write("quit\n")
        first.stdin.flush()
        assert first.stdout is not None and first.stdout.readline().strip() == "RC 0"
        assert first.wait(timeout=60) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert _second(demo_profile_dir, tmp_path / "home") == {"code": 0, "shown": ["window"]}  # let go at its end


def test_a_copy_that_was_killed_does_not_keep_the_next_start_out(demo_profile_dir: Path, tmp_path: Path) -> None:
    first = start_app(demo_profile_dir, tmp_path / "home")
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert _second(demo_profile_dir, tmp_path / "home") == {"code": 0, "shown": ["window"]}
    assert json.dumps(sorted(p.name for p in demo_profile_dir.iterdir() if p.name.endswith(".lock"))) == "[]"


def test_a_start_while_the_closed_copy_still_ends_waits_for_it(demo_profile_dir: Path, tmp_path: Path) -> None:
    """Closed and started again at once: the first copy, still ending, is not "another open copy"."""
    first = start_app(demo_profile_dir, tmp_path / "home", ENDING_SLOWLY)
    try:
        assert first.stdin is not None and first.stdout is not None
        first.stdin.write("quit\n")
        first.stdin.flush()
        assert _second(demo_profile_dir, tmp_path / "home", SECOND_AFTER_A_LOOK) == {"code": 0, "shown": ["window"]}
        assert first.stdout.readline().strip() == "RC 0"
        assert first.wait(timeout=60) == 0
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()


def test_a_profile_folder_that_cannot_be_made_is_said_in_swedish_not_a_traceback_or_in_use(tmp_path: Path) -> None:
    """``--profile`` naming a file, or a folder below a file: before, a FileExistsError traceback (the window never
    came); a folder where the lock file cannot be written was called "already open" by another copy."""
    occupied = tmp_path / "profil.txt"
    occupied.write_text("inte en mapp")
    for profile in (occupied, occupied / "profil"):
        for script in (SECOND, SECOND_DEMO):  # --demo --profile FILE was a FileExistsError traceback (s20-probesrv)
            refused = _second(profile, tmp_path / "home", script)
            assert refused == {"code": 1, "shown": [
                "Profilmappen går inte att skapa eller skriva i. Starta med en annan mapp (--profile) eller kontakta"
                " IT."]}, (profile.name, script is SECOND_DEMO)
    assert occupied.read_text() == "inte en mapp"
