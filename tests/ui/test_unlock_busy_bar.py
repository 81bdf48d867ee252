"""Issue 14 (after the KDF: unlock → 10,000 cases listed): once the key is in, the unlock page's busy bar stops
moving, so the UI thread stays idle while the worker lists the cases (a moving bar is repainted ~60 times a second,
each frame through the application's Python event filter, taking the interpreter from the worker)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from uihelpers import CASEWORKER, PASSPHRASE, type_text

from storage.kdf import KdfParameters
from storage.profile import create_profile


def test_the_busy_bar_stands_still_while_the_cases_are_listed(  # type: ignore[no-untyped-def]
    qtbot, settings, profile_dir: Path, monkeypatch
) -> None:
    import ui.window_listing as window_listing
    from ui.main_window import MainWindow, StartOptions

    create_profile(profile_dir, PASSPHRASE, user_id=CASEWORKER, kdf=KdfParameters()).lock()
    listing = threading.Event()
    release = threading.Event()
    prepared = window_listing._prepared

    def held(profile: Any, **kwargs: Any) -> Any:  # the listing waits until the test has looked at the page
        listing.set()
        release.wait(20)
        return prepared(profile, **kwargs)

    monkeypatch.setattr(window_listing, "_prepared", held)
    window = MainWindow(settings, StartOptions(profile_dir=profile_dir, kdf=KdfParameters()))
    qtbot.addWidget(window)
    window.show()
    panel = window.unlock_panel
    try:
        type_text(panel.passphrase_edit, PASSPHRASE)
        qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
        assert panel.busy.isVisible() and panel.busy.maximum() == 0  # moving while the key is derived
        qtbot.waitUntil(listing.is_set, timeout=20_000)
        qtbot.waitUntil(lambda: panel.busy.maximum() == 1, timeout=5_000)  # the key is in: full and still
        assert panel.busy.value() == 1 and panel.busy.isVisible()
    finally:
        release.set()
    qtbot.waitUntil(lambda: window.session is not None, timeout=20_000)
    window.lock()
    # The next unlock's derivation shows a moving bar again.
    type_text(panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    assert panel.busy.maximum() == 0
    qtbot.waitUntil(lambda: window.session is not None, timeout=20_000)
    window.session.lock()
