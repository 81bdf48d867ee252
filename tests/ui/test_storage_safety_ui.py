"""What the window does with a damaged profile: an edited key file is said plainly, damage met while working locks
and offers the backup, and no document text reaches stderr or the log."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from uihelpers import PASSPHRASE, type_text

from storage.keyfile import _checksum
from storage.layout import key_file_path


def test_an_edited_key_file_is_a_damaged_key_file_and_the_page_stays_usable(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir: Path
):
    path = key_file_path(demo_profile_dir)
    body = json.loads(path.read_text())
    body["kdf"]["iterations"] = 10**6  # unlock was busy for minutes with this, the window waiting on it
    body["checksum"] = _checksum(body)
    path.write_text(json.dumps(body))
    panel = demo_window.unlock_panel
    type_text(panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Profilfilen är skadad" in panel.error.text() and panel.passphrase_edit.isEnabled(),
                    timeout=10_000)
    assert "Incident" not in panel.error.text() and demo_window.session is None
    assert not panel.restore_button.isVisible()  # the backups share this key file: no restore can help
