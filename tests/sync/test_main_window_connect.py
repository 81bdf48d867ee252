"""Issue 12 finding 7 end to end: a profile never connected says "Inte ansluten", starts no sync that could only
fail, and its "Anslut…" button enrolls with a code from IT against the real server, then syncs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from sync_support import PASSPHRASE, Env

from sync.server.dev import DEMO_USER
from ui.main_window import MainWindow, StartOptions
from ui.settings import SERVER_URL, AppSettings


def _type(widget: Any, text: str) -> None:
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def test_never_connected_offers_to_connect_and_the_code_from_it_connects_and_syncs(
    qtbot: Any, env: Env, tmp_path: Path, swedish_ui: None
) -> None:
    from storage.kdf import KdfParameters
    from storage.profile import create_profile
    from ui.sync.enrollment_dialog import EnrollmentDialog

    create_profile(tmp_path / "profile", PASSPHRASE, user_id=DEMO_USER,
                   kdf=KdfParameters(memory_kib=256, iterations=1, parallelism=1)).lock()
    settings = AppSettings(str(tmp_path / "settings.ini"))
    settings.set(SERVER_URL, env.base_url)  # a server is configured, but this computer never got a code
    window = MainWindow(settings, StartOptions(profile_dir=tmp_path / "profile"))
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        _type(window.unlock_panel.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    assert window.sync is not None
    state = window.sync.widget.findChild(QLabel, "syncStateLabel")
    button = window.sync.widget.findChild(QPushButton, "syncNowButton")
    assert state.text() == "Inte ansluten" and button.text() == "Anslut…" and button.isEnabled()
    assert not window.sync.controller.running  # no sync at unlock that could only end in "a new code from IT"
    assert "kod från IT" not in window.statusBar().currentMessage()

    code = env.new_code(DEMO_USER)
    shown: list[object] = []

    def type_the_code() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, EnrollmentDialog):
            QTimer.singleShot(10, type_the_code)  # not shown yet
            return
        shown.append(dialog)
        _type(dialog.code, code)
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)  # the default button: Anslut

    QTimer.singleShot(0, type_the_code)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # returns when the dialog has connected and closed
    assert len(shown) == 1
    # The list's first paint starts a sync too (``ui.window_unlock._after_first_paint``, which then starts the
    # upkeep): on a loaded machine it may come after the enrollment's sync ended, and the label then says
    # "Synkroniserar…" again.
    qtbot.waitUntil(lambda: window._upkeep_job is not None and not window.sync.controller.running
                    and window.sync.controller.status.last_synced_at is not None, timeout=60_000)
    assert state.text().startswith("Synkroniserad kl. ") and button.text() == "Synkronisera"
    if window.session is not None:
        window.session.lock()
