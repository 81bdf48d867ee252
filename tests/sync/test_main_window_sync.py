"""The main window syncs by itself at unlock and on Ctrl+Shift+S, against the real server and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sync_support import PASSPHRASE, Env, assigned_cases, make_laptop, server_documents

from sync.server.dev import DEMO_USER
from ui.main_window import MainWindow, StartOptions
from ui.settings import SERVER_URL, AppSettings


def _type(widget: Any, text: str) -> None:
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _window(qtbot: Any, env: Env, tmp_path: Path) -> MainWindow:
    laptop = make_laptop(env, tmp_path / "profile", DEMO_USER)
    laptop.profile.lock()
    settings = AppSettings(str(tmp_path / "settings.ini"))
    settings.set(SERVER_URL, env.base_url)
    window = MainWindow(settings, StartOptions(profile_dir=tmp_path / "profile"))
    qtbot.addWidget(window)
    window.show()
    return window


def test_unlock_syncs_and_lists_the_assigned_cases(qtbot: Any, env: Env, tmp_path: Path) -> None:
    window = _window(qtbot, env, tmp_path)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        _type(window.unlock_panel.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    assert window.sync is not None
    qtbot.waitUntil(lambda: window.sync.controller.status.last_synced_at is not None, timeout=60_000)
    shown = window.case_list.model.rowCount()
    listed = {window.case_list.model.summary(row).case_id for row in range(shown)}
    assert listed == {row["case_id"] for row in assigned_cases(env, DEMO_USER)} and listed
    window.session.lock() if window.session else None


def test_ctrl_shift_s_pushes_an_edit_to_the_server(qtbot: Any, env: Env, tmp_path: Path) -> None:
    window = _window(qtbot, env, tmp_path)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        _type(window.unlock_panel.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.sync.controller.status.last_synced_at is not None, timeout=60_000)
    case_id = window.case_list.model.summary(0).case_id
    window.open_case(case_id)
    window.workspace.go_to("areas", "d5")
    _type(window.workspace.area_form.own, "synkordet från fönstret")
    first_sync = window.sync.controller.status.last_synced_at
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.sync.controller.status.last_synced_at != first_sync
                    and not window.sync.controller.running, timeout=60_000)
    assert window.sync.controller.status.pending == 0
    documents = server_documents(env, DEMO_USER)
    assert "synkordet från fönstret" in str(documents[("case", case_id)])
    window.session.lock() if window.session else None


def test_the_window_s_settings_are_read_on_the_ui_thread_only_while_it_syncs(qtbot: Any, env: Env, tmp_path: Path,
                                                                            monkeypatch: Any) -> None:
    """A QSettings object is not thread-safe: the first sync read the pinned certificate's setting on its worker,
    while the UI thread read and wrote the same settings object (a case opened, its splitter kept)."""
    import threading

    threads: set[str] = set()
    real_get = AppSettings.get

    def recording_get(settings: AppSettings, setting: Any) -> Any:
        threads.add(threading.current_thread().name)
        return real_get(settings, setting)

    monkeypatch.setattr(AppSettings, "get", recording_get)
    window = _window(qtbot, env, tmp_path)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        _type(window.unlock_panel.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.sync.controller.status.last_synced_at is not None, timeout=60_000)
    assert threads == {threading.main_thread().name}
    window.session.lock() if window.session else None
