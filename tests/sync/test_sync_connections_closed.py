"""A lock ends the sync's connections to the server: the session's and the enrollment's transports are closed (their
sockets freed) when the session ends, and stopped at once (no retry waited for), against the real server."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sync_support import PASSPHRASE, Env, make_laptop

from sync.server.dev import DEMO_USER
from ui.main_window import MainWindow, StartOptions
from ui.settings import SERVER_URL, AppSettings


def _type(widget: Any, text: str) -> None:
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _unlock(qtbot: Any, window: MainWindow) -> None:
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        _type(window.unlock_panel.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)


def _connections_to(port: int) -> int:
    """This process's open sockets connected to ``port`` on 127.0.0.1 (the client ends, not the server's), read from
    /proc/self/fd and /proc/net/tcp."""
    inodes: set[str] = set()
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    count = 0
    with open("/proc/net/tcp") as table:
        next(table)
        for line in table:
            fields = line.split()
            remote_port, state, inode = int(fields[2].split(":")[1], 16), fields[3], fields[9]
            if remote_port == port and state != "0A" and inode in inodes:  # 0A: listening
                count += 1
    return count


@pytest.fixture()
def no_collection() -> Iterator[None]:
    """The garbage collector off: what is freed must be closed by the lock, not by a collection that happens to run
    (before the fix a session's sockets were freed only so)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_lock_unlock_cycles_with_sync_leave_no_connection_open(
        qtbot: Any, env: Env, tmp_path: Path, no_collection: None) -> None:
    make_laptop(env, tmp_path / "profile", DEMO_USER).profile.lock()
    settings = AppSettings(str(tmp_path / "settings.ini"))
    settings.set(SERVER_URL, env.base_url)
    window = MainWindow(settings, StartOptions(profile_dir=tmp_path / "profile"))
    qtbot.addWidget(window)
    window.show()
    port = env.config.port
    before = _connections_to(port)
    for _cycle in range(3):
        _unlock(qtbot, window)
        profile = window.session.profile
        qtbot.waitUntil(lambda: window.sync is not None and window.sync.controller.status.last_synced_at is not None
                        and not window.sync.controller.running, timeout=60_000)
        # The sync ran in a child process (``sync.child``): its connection ended with it, none waits for the lock.
        qtbot.waitUntil(lambda: _connections_to(port) == before, timeout=20_000)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: profile.is_locked, timeout=60_000)  # noqa: B023 (waited for in this cycle)
    qtbot.waitUntil(lambda: _connections_to(port) == before, timeout=20_000)


def test_a_lock_while_the_server_holds_the_enrollment_closes_the_store_without_waiting_for_it(
        qtbot: Any, env: Env, tmp_path: Path, monkeypatch: Any) -> None:
    """The code from IT typed in the enrollment dialog and Enter pressed, the server holds the request (a slow server,
    or a network that drops packets), and the idle lock comes: the store closes without waiting for the answer and
    the retries (it waited up to the request's timeout, six times), and the enrollment's connection is closed once
    the request given up ends (closing it under the thread reading its answer would free a descriptor still read)."""
    import threading

    import httpx

    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from sync.client.transport import Transport
    from sync.server import devices
    from ui.sync.enrollment_dialog import EnrollmentDialog

    entered, release = threading.Event(), threading.Event()
    real = devices.enroll

    def held(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        release.wait(timeout=120)
        return real(*args, **kwargs)

    def patient(transport: Any) -> httpx.Client:  # a request waits ten minutes for its answer, not 30 s
        return httpx.Client(base_url=transport.base_url, verify=transport._verification, timeout=600.0)

    monkeypatch.setattr(devices, "enroll", held)
    monkeypatch.setattr(Transport, "_new_client", patient)
    create_profile(tmp_path / "profile", PASSPHRASE, user_id=DEMO_USER,
                   kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1)).lock()
    settings = AppSettings(str(tmp_path / "settings.ini"))
    settings.set(SERVER_URL, env.base_url)
    window = MainWindow(settings, StartOptions(profile_dir=tmp_path / "profile"))
    qtbot.addWidget(window)
    window.show()
    _unlock(qtbot, window)
    profile = window.session.profile
    port = env.config.port
    code = env.new_code(DEMO_USER)

    def type_the_code() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, EnrollmentDialog):
            QTimer.singleShot(10, type_the_code)  # not shown yet
            return
        _type(dialog.code, code)
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)  # the default button: Anslut
        lock_when_held()

    def lock_when_held() -> None:
        if not entered.is_set():
            QTimer.singleShot(10, lock_when_held)
            return
        window.idle.set_interval_ms(50)  # the handläggare walks away while the server holds the code

    try:
        QTimer.singleShot(0, type_the_code)
        with qtbot.waitSignal(window.locked, timeout=60_000):
            window.action_enroll.trigger()  # the dialog's own event loop runs until the lock closes it
        assert window.session is None and entered.is_set()
        qtbot.waitUntil(lambda: profile.is_locked, timeout=20_000)  # the server still holds the enrollment
        assert not release.is_set()
        release.set()  # the answer comes to the request given up, whose thread closes the connection as it ends
        qtbot.waitUntil(lambda: _connections_to(port) == 0, timeout=20_000)
    finally:
        window.idle.set_interval_ms(10 * 60_000)
        release.set()
