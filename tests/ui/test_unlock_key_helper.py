"""Issue 14 (memory with 10,000 cases, steady): the unlock page's key is unwrapped in a helper process
(``storage.key_helper``), so Argon2 and ``cryptography`` never load in the app's process; a wrong passphrase, a
damaged key file and a helper that cannot run behave as the unwrap in the app did."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from app_child import run_app_script, tagged
from PySide6.QtCore import Qt
from uihelpers import PASSPHRASE, type_text, unlock

import storage.key_helper as key_helper
from storage.layout import key_file_path
from storage.throttle import FILE_NAME as THROTTLE_FILE_NAME

CRYPTO = ("argon2", "cryptography", "storage.keyfile")
# main.py as started from a desktop: the passphrase typed into the page, Enter, and once the list is shown and the
# day's upkeep is done, what the process has imported.
UNLOCK_THEN_REPORT = """
import json, os, sys, traceback
sys.excepthook = lambda *exc: (traceback.print_exception(*exc), os._exit(1))
from PySide6.QtCore import QThreadPool, QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
original_exec = QApplication.exec

def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def poll(condition, then):
        timer = QTimer(window)
        timer.timeout.connect(lambda: condition() and (timer.stop(), then()))
        timer.start(5)
    def report():
        print("STATE", json.dumps({"modules": sorted(sys.modules), "cases": window.case_list.model.rowCount()}))
        QApplication.instance().quit()
    window.unlocked.connect(lambda: poll(
        lambda: window._upkeep_job is not None and QThreadPool.globalInstance().activeThreadCount() == 0, report))
    edit = window.unlock_panel.passphrase_edit
    edit.insert(sys.argv[2])
    QTest.keyClick(edit, Qt.Key.Key_Return)

def exec_and_drive():
    QTimer.singleShot(300, drive)  # the preload (and the helper) start 200 ms after the page is shown
    return original_exec()

QApplication.exec = staticmethod(exec_and_drive)
import main
main.main(["--profile", sys.argv[1]])
"""


def test_the_app_process_never_imports_argon2_or_cryptography_to_unlock(demo_profile_dir: Path,
                                                                          tmp_path: Path) -> None:
    state = tagged(run_app_script(UNLOCK_THEN_REPORT, str(demo_profile_dir), PASSPHRASE, home=tmp_path / "home"),
                   "STATE")
    assert state["cases"] > 0  # unlocked and listed
    assert [name for name in CRYPTO if name in state["modules"]] == []


@pytest.fixture
def no_waiting_helper() -> None:
    """A test starts from no helper waiting (another test's window may have started one)."""
    with key_helper._lock:
        waiting, key_helper._waiting = key_helper._waiting, None
    if waiting is not None:
        waiting.kill()
        waiting.wait()


@pytest.fixture
def started(monkeypatch, no_waiting_helper) -> list[subprocess.Popen[bytes]]:  # type: ignore[no-untyped-def]
    """Every helper process started from now on, in order; the first is started (waiting) already."""
    helpers: list[subprocess.Popen[bytes]] = []
    original_start = key_helper._start

    def start() -> subprocess.Popen[bytes]:
        helpers.append(original_start())
        return helpers[-1]

    monkeypatch.setattr(key_helper, "_start", start)
    key_helper.prestart()
    return helpers


def test_a_wrong_passphrase_through_the_helper_is_refused_and_counted(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir: Path
):
    panel = demo_window.unlock_panel
    type_text(panel.passphrase_edit, "inte rätt lösenfras alls")
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Fel lösenfras" in panel.error.text() and panel.passphrase_edit.isEnabled(),
                    timeout=20_000)
    assert demo_window.session is None
    assert json.loads((demo_profile_dir / THROTTLE_FILE_NAME).read_text())  # the failure is counted
    # The failed try used its helper up: the next one waits already, and the right passphrase unlocks.
    assert key_helper._waiting is not None
    panel.passphrase_edit.clear()
    unlock(qtbot, demo_window)
    assert demo_window.session is not None and demo_window.case_list.model.rowCount() > 0


def test_a_helper_that_cannot_run_leaves_the_unlock_to_the_app(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch, no_waiting_helper
):
    monkeypatch.setattr(key_helper, "_BOOT", "import sys; sys.exit(3)")  # dies without answering
    unlock(qtbot, demo_window)
    assert demo_window.session is not None and demo_window.case_list.model.rowCount() > 0


def test_the_helper_answers_as_the_unwrap_in_the_app(demo_profile_dir: Path, no_waiting_helper) -> None:  # type: ignore[no-untyped-def]
    from storage.errors import ProfileDamaged, WrongPassphrase
    from storage.keyfile import read_key_file, unwrap

    path = key_file_path(demo_profile_dir)
    key_helper.prestart()
    assert key_helper.unwrap_in_helper(path, PASSPHRASE) == unwrap(read_key_file(path), PASSPHRASE)
    assert key_helper._waiting is None  # used up; this one is started on demand
    with pytest.raises(WrongPassphrase):
        key_helper.unwrap_in_helper(path, PASSPHRASE + " fel")
    body = json.loads(path.read_text())
    body["kdf"]["salt"] = "AAAA"  # the checksum no longer matches: damage, found before any derivation
    path.write_text(json.dumps(body))
    with pytest.raises(ProfileDamaged):
        key_helper.unwrap_in_helper(path, PASSPHRASE)


def _recording_boot(marker: Path) -> str:
    """The real helper, which first makes ``marker`` (holding nothing) once it has read the whole request."""
    return ("import io, sys; sys.path.insert(0, sys.argv[1]); request = sys.stdin.buffer.read(); "
            f"open({str(marker)!r}, 'wb').close(); sys.stdin = io.TextIOWrapper(io.BytesIO(request)); "
            "from storage.key_helper import serve; serve()")


def test_the_waiting_helper_has_the_passphrase_before_the_ui_thread_does_its_unlock_work(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch, tmp_path: Path, no_waiting_helper
):
    """Issue 14 (after the KDF): Enter sends the passphrase to the helper at once, so the derivation starts before
    the UI thread imports the window's modules and builds the list page (20.6 → 3.2 ms from Enter to the KDF's
    start). Here the UI thread's unlock work waits until the helper has read the request: it never gets it while
    the worker is not started yet."""
    import ui.window_unlock as window_unlock

    marker = tmp_path / "request-read"
    monkeypatch.setattr(key_helper, "_BOOT", _recording_boot(marker))
    key_helper.prestart()
    seen: list[bool] = []
    original = window_unlock._import_window_modules

    def import_window_modules() -> None:
        if not seen:
            seen.append(_wait_for(marker))
        original()

    monkeypatch.setattr(window_unlock, "_import_window_modules", import_window_modules)
    panel = demo_window.unlock_panel
    type_text(panel.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(demo_window.unlocked, timeout=20_000):
        qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    assert seen == [True]
    assert demo_window.case_list.model.rowCount() > 0


def _wait_for(marker: Path, seconds: float = 10.0) -> bool:
    """Whether ``marker`` appears within ``seconds``, without running the event loop (as the UI thread's own work
    would not)."""
    import time

    end = time.monotonic() + seconds
    while not marker.exists():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


def test_a_throttled_unlock_ends_the_helper_it_asked_and_the_next_try_finds_one_waiting(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir: Path, started
):
    """The passphrase goes to the helper at Enter, before the worker checks the wait after wrong passphrases: a
    refused try must not leave a helper that was given it deriving, and the next try finds one waiting."""
    import time

    (demo_profile_dir / THROTTLE_FILE_NAME).write_text(json.dumps({"failures": 6, "last_failure": time.time()}))
    panel = demo_window.unlock_panel
    type_text(panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "För många försök" in panel.error.text() and panel.passphrase_edit.isEnabled(),
                    timeout=20_000)
    assert demo_window.session is None
    asked = [helper for helper in started if helper.stdin is None or helper.stdin.closed]  # given a request
    assert [helper for helper in asked if helper.poll() is None] == []  # none of them derives on
    waiting = key_helper._waiting  # the next try finds a fresh one, holding no passphrase
    assert waiting is not None and waiting not in asked and waiting.poll() is None


def test_an_unlock_whose_window_modules_fail_to_import_says_so_and_the_next_enter_unlocks(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch, started, expect_unexpected_error
):
    """The window's modules are imported at Enter, before the unlock worker starts. An import that fails there
    (a broken installation, or CPython's module locks) shows the incident message on the page, keeps the typed
    passphrase, ends the helper that was given it, and leaves Enter working: the page never stays busy."""
    from ui.unlock import preload

    monkeypatch.setattr(preload, "WINDOW_MODULES", (*preload.WINDOW_MODULES, "ui.cases.no_such_module"))
    panel = demo_window.unlock_panel
    type_text(panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Händelse-id" in panel.error.text() and panel.passphrase_edit.isEnabled(),
                    timeout=20_000)
    assert demo_window.session is None and panel.passphrase_edit.text() == PASSPHRASE
    assert [error.error_type for error in expect_unexpected_error] == ["ModuleNotFoundError"]
    asked = [helper for helper in started if helper.stdin is None or helper.stdin.closed]
    assert asked and [helper for helper in asked if helper.poll() is None] == []  # none derives on
    monkeypatch.setattr(preload, "WINDOW_MODULES", preload.WINDOW_MODULES[:-1])
    with qtbot.waitSignal(demo_window.unlocked, timeout=20_000):
        qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    assert demo_window.session is not None and demo_window.case_list.model.rowCount() > 0
