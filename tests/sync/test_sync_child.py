"""The window's syncs run in a child process of their own (``sync.child``), against the real server and PostgreSQL:
the window's process never loads httpx, ``ssl`` or the engine; a child that dies or hangs fails its run and the
next one syncs what it left; the window's saves wait for the child's write instead of failing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from child_faults import inject, marked
from PySide6.QtCore import Qt
from sync_support import PASSPHRASE, Env, edit_case, make_laptop, server_documents
from test_main_window_sync import _alive, _type, _unlock, _window

from sync.server.dev import DEMO_USER
from ui.settings import SERVER_URL, AppSettings

REPO = Path(__file__).resolve().parents[2]
# The window in a fresh interpreter: unlocked by typing the passphrase and Enter; once its first sync is done (and
# the list read after it), which of the sync's modules its process holds.
SYNCED_THEN_LOADED = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.main_window import MainWindow, StartOptions
from ui.settings import AppSettings
window = MainWindow(AppSettings(sys.argv[2]), StartOptions(profile_dir=Path(sys.argv[1])))
window.show()
def synced():
    controller = window.sync.controller if window.sync is not None else None
    if controller is None or controller.status.last_synced_at is None or controller.running or window._relisting:
        QTimer.singleShot(50, synced)
        return
    watched = ("httpx", "ssl", "_ssl", "sync.client.engine", "sync.client.transport", "sync.protocol")
    print("LOADED", json.dumps({"state": controller.status.state, "rows": window.case_list.model.rowCount(),
                                "modules": [name for name in watched if name in sys.modules]}))
    window.session.lock()
    app.quit()
window.unlocked.connect(lambda: QTimer.singleShot(0, synced))
for char in sys.stdin.readline().strip():  # as typed: QTest's key clicks know no å, ä, ö
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(window.unlock_panel.passphrase_edit,
                               QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))
QTest.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
app.exec()
"""


def test_after_a_sync_the_window_s_process_holds_no_httpx_ssl_or_engine(env: Env, tmp_path: Path) -> None:
    """Issue 14's memory row: the first sync imported httpx, ``ssl`` (the system's libcrypto) and the protocol's
    models into the window for good. Fails on main (all of them loaded)."""
    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    laptop.profile.lock()
    settings = AppSettings(str(tmp_path / "settings.ini"))
    settings.set(SERVER_URL, env.base_url)
    settings.sync()
    result = subprocess.run(
        [sys.executable, "-c", SYNCED_THEN_LOADED, str(tmp_path / "profile"), str(tmp_path / "settings.ini")],
        input=PASSPHRASE + "\n", cwd=REPO, capture_output=True, text=True, timeout=180,
        env={**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    [line] = [line for line in result.stdout.splitlines() if line.startswith("LOADED ")]
    loaded = json.loads(line.removeprefix("LOADED "))
    assert loaded["state"] == "idle" and loaded["rows"] > 0  # it synced: the pulled cases are listed
    assert loaded["modules"] == []


def _noted_case(case_id: list[str]) -> Any:
    def note(laptop: Any) -> None:
        laptop.sync()
        case_id.append(laptop.profile.cases.list_summaries()[0].case_id)
        edit_case(laptop.profile, case_id[0], origin_note="Skriven före en krasch")
    return note


def test_a_sync_child_killed_mid_push_fails_the_run_and_the_next_sync_pushes_the_change_once(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """The system kills the sync's child (SIGKILL) as it sends the push: the run fails with a message, the next
    automatic run is planned, and Ctrl+Shift+S then pushes the pending change, applied once on the server."""
    faults = tmp_path / "faults"
    inject(monkeypatch, faults, "killed_at_first_push")
    (faults / "kill").touch()
    case_id: list[str] = []
    window = _window(qtbot, env, tmp_path, before_lock=_noted_case(case_id))
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    _unlock(qtbot, window)
    controller = window.sync.controller
    qtbot.waitUntil(lambda: controller.status.state == "failed", timeout=60_000)
    assert marked(faults, "killed") == [""]
    assert shown and controller.next_sync_in_ms() is not None and controller.status.pending == 1
    (faults / "kill").unlink()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: controller.status.last_synced_at is not None and not controller.running, timeout=60_000)
    assert controller.status.state == "idle" and controller.status.pending == 0
    assert server_documents(env, DEMO_USER)[("case", case_id[0])]["origin_note"] == "Skriven före en krasch"
    window.session.lock() if window.session else None


def test_a_sync_child_that_falls_silent_is_killed_and_the_run_fails(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """A child that hangs (says nothing for ``SILENCE_LIMIT_S``, made a second here) is killed: the run fails and
    the next automatic one is planned, instead of a sync "running" for good."""
    import sync.child

    monkeypatch.setattr(sync.child, "SILENCE_LIMIT_S", 1.0)
    faults = tmp_path / "faults"
    inject(monkeypatch, faults, "silent_forever")
    window = _window(qtbot, env, tmp_path)
    _unlock(qtbot, window)
    controller = window.sync.controller
    qtbot.waitUntil(lambda: controller.status.state == "failed", timeout=60_000)
    [pid] = marked(faults, "pids")
    assert not _alive(int(pid)) and controller.next_sync_in_ms() is not None and not controller.running
    window.session.lock() if window.session else None


def test_a_save_while_the_sync_child_holds_the_write_lock_waits_for_it_and_is_pushed_next(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """Two processes write the one SQLCipher file: a save typed while the child is inside a write transaction
    (held a moment here) waits for it under the busy timeout and is stored, not refused."""
    faults = tmp_path / "faults"
    window = _window(qtbot, env, tmp_path)
    _unlock(qtbot, window)
    controller = window.sync.controller
    qtbot.waitUntil(lambda: controller.status.last_synced_at is not None and window.case_list.model.rowCount() > 0,
                    timeout=60_000)
    case_id = window.case_list.model.summary(0).case_id
    window.open_case(case_id)
    window.workspace.go_to("areas", "d5")
    inject(monkeypatch, faults, "holds_write_lock")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: marked(faults, "holding") != [], timeout=60_000)
    _type(window.workspace.area_form.own, "skrivet medan synken skrev")
    asked, stored, blocked = _save_meets_the_held_lock(monkeypatch, faults)
    window.workspace.save_now()
    assert not window.workspace.has_unsaved_changes and window.workspace.last_save_error is None
    [released] = marked(faults, "released")
    # The save asked for the lock while the child held it, and had it only once the child let go: it waited.
    assert blocked == [True] and asked and stored and asked[0] < float(released) <= stored[0]
    qtbot.waitUntil(lambda: not controller.running, timeout=60_000)
    window.activateWindow()
    synced_to_server(qtbot, window, env, case_id, "skrivet medan synken skrev")
    window.session.lock() if window.session else None


def _save_meets_the_held_lock(monkeypatch: Any, faults: Path) -> tuple[list[float], list[float], list[bool]]:
    """The window's next write transaction: when it asked for the write lock and when it had it (``time.time()``).
    Asking lets the child go (``release``) from a thread once the asking thread is blocked in ``BEGIN IMMEDIATE``
    (its top frame on that line of ``Database.transaction``), so the save is waiting when the child lets go."""
    import contextlib
    import threading

    from storage.database import Database

    transaction = Database.transaction
    asked: list[float] = []
    stored: list[float] = []
    blocked: list[bool] = []  # whether the save was seen waiting in BEGIN IMMEDIATE when the child was let go

    def release_once_waiting(asker: int) -> None:
        deadline = time.monotonic() + 60
        while not _blocked_in_begin(asker) and time.monotonic() < deadline:
            time.sleep(0.005)  # polling a condition: the child lets go only once the save waits for it
        blocked.append(_blocked_in_begin(asker))
        (faults / "release").write_text("", encoding="utf-8")

    @contextlib.contextmanager
    def timed(self: Database, *, durable: bool = True) -> Any:
        if not asked:
            asked.append(time.time())
            threading.Thread(target=release_once_waiting, args=(threading.get_ident(),)).start()
        with transaction(self, durable=durable) as connection:
            if not stored:
                stored.append(time.time())
            yield connection

    monkeypatch.setattr(Database, "transaction", timed)
    return asked, stored, blocked


def _blocked_in_begin(thread_id: int) -> bool:
    """Whether the thread's top Python frame is ``Database.transaction`` on its ``BEGIN IMMEDIATE`` line: blocked in
    SQLite's wait for the write lock (the C call holds no frame of its own)."""
    import linecache

    frame = sys._current_frames().get(thread_id)
    return (frame is not None and frame.f_code.co_name == "transaction"
            and frame.f_code.co_filename.endswith(str(Path("storage") / "database.py"))
            and "BEGIN IMMEDIATE" in linecache.getline(frame.f_code.co_filename, frame.f_lineno))


def synced_to_server(qtbot: Any, window: Any, env: Env, case_id: str, text: str) -> None:
    """Ctrl+Shift+S; once that sync ended nothing waits to be sent and the server's case holds ``text``."""
    controller = window.sync.controller
    first = controller.status.last_synced_at
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: controller.status.last_synced_at != first and not controller.running, timeout=60_000)
    assert controller.status.pending == 0
    assert text in str(server_documents(env, DEMO_USER)[("case", case_id)])


def test_a_lost_laptop_wiped_by_the_sync_child_leaves_the_window_on_the_unlock_page_with_nothing_left(
        qtbot: Any, env: Env, tmp_path: Path) -> None:
    """IT reports the laptop lost: the unlock's sync (in its child) wipes the profile; the window's own connection
    is closed too, nothing of the profile is left on disk or on screen, and the status bar says why."""
    from storage.layout import database_path
    from sync.server import central
    from sync.server.db import connect

    def lost(laptop: Any) -> None:
        with connect(env.database_url) as conn:
            central.revoke_device(conn, laptop.profile.device_id, "lost")

    window = _window(qtbot, env, tmp_path, before_lock=lost)
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    _unlock(qtbot, window)
    profile = window.session.profile
    qtbot.waitUntil(lambda: window.session is None, timeout=60_000)
    assert profile.is_locked and window.stack.currentWidget() is window.unlock_panel
    assert any("revoked" in text for text in shown)
    folder = tmp_path / "profile"
    assert not database_path(folder).exists() and not any(folder.glob("*.db*")) and not any(folder.glob("*key*"))
