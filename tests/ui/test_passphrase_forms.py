"""A passphrase holding å, ä or ö opens the profile whichever Unicode form it arrives in.

"å" typed on a Swedish keyboard is one character (NFC); pasted from some sources or entered with some input methods it
is "a" and a combining ring (NFD): the same passphrase to the person, other bytes to the key derivation. On main a
profile made with a pasted NFD passphrase said "Fel lösenfras" when the passphrase was then typed.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from keyfile_support import counting_helper_boot, helper_derivations, rewrite_as_format_1
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from uihelpers import PASSPHRASE, paste, type_text, unlock

from storage import key_helper
from storage.layout import key_file_path

DECOMPOSED = unicodedata.normalize("NFD", PASSPHRASE)


def _create(qtbot, window, passphrase: str) -> None:  # type: ignore[no-untyped-def]
    panel = window.unlock_panel
    type_text(panel.name_edit, "Handläggare Test")
    paste(qtbot, panel.passphrase_edit, passphrase)
    paste(qtbot, panel.confirm_edit, passphrase)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        qtbot.keyClick(panel.confirm_edit, Qt.Key.Key_Return)
    window.lock()


def test_a_passphrase_pasted_decomposed_opens_when_typed(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert DECOMPOSED != PASSPHRASE
    _create(qtbot, window, DECOMPOSED)
    unlock(qtbot, window, PASSPHRASE)  # typed key by key: one character for each å and ä
    assert window.session is not None


def test_a_key_file_wrapped_under_the_decomposed_form_before_the_change_still_opens(qtbot, window, profile_dir) -> None:  # type: ignore[no-untyped-def]
    """A key file as session 19 wrote it (format 1, the passphrase wrapped as it came) opens when typed, and is
    rewrapped in the format that records the form."""
    _create(qtbot, window, DECOMPOSED)
    rewrite_as_format_1(key_file_path(profile_dir), DECOMPOSED, DECOMPOSED)
    unlock(qtbot, window, PASSPHRASE)
    assert window.session is not None
    assert json.loads(key_file_path(profile_dir).read_text())["format"] == "hembesok-keyfile/2"


def test_a_wrong_passphrase_is_still_refused(qtbot, window, profile_dir, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Refused after one key derivation in the helper process (the key file says which form its wrap used; on main
    each form was tried: two), and counted once by the throttle."""
    from storage.throttle import UnlockThrottle

    _create(qtbot, window, DECOMPOSED)
    count = tmp_path / "derivations"
    monkeypatch.setattr(key_helper, "_BOOT", counting_helper_boot(count))
    monkeypatch.setattr(key_helper, "_waiting", None)  # the one the lock started waiting would not count
    panel = window.unlock_panel
    type_text(panel.passphrase_edit, "blåbär-kanot-fjäll-lyktå")
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(panel.error.text()), timeout=20_000)
    assert "Fel lösenfras" in panel.error.text() and window.session is None
    assert UnlockThrottle(profile_dir).failures() == 1
    assert helper_derivations(count) == 1


def test_the_repeated_passphrase_may_arrive_in_the_other_form(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Pasted once (decomposed) and typed once (composed), a new profile's passphrase is one passphrase: main said
    "inte likadana"."""
    panel = window.unlock_panel
    type_text(panel.name_edit, "Handläggare Test")
    paste(qtbot, panel.passphrase_edit, DECOMPOSED)
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        type_text(panel.confirm_edit, PASSPHRASE)
        qtbot.keyClick(panel.confirm_edit, Qt.Key.Key_Return)


def test_a_changed_passphrase_may_be_repeated_in_the_other_form(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    """As above, when the passphrase is changed (Arkiv > Byt lösenfras): main said "inte likadana"."""
    from ui.unlock.change_passphrase import ChangePassphraseDialog

    unlock(qtbot, demo_window)
    dialog = ChangePassphraseDialog(demo_window.session.profile, demo_window)
    qtbot.addWidget(dialog)
    new = "ny-lösenfras-för-vintern"
    type_text(dialog.old, PASSPHRASE)
    paste(qtbot, dialog.new, unicodedata.normalize("NFD", new))
    type_text(dialog.confirm, new)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    demo_window.lock()
    unlock(qtbot, demo_window, new)  # typed: the key file holds the new passphrase in the form a keyboard gives
    assert demo_window.session is not None


def test_a_key_file_from_a_newer_version_is_refused_as_such(qtbot, demo_window, demo_profile_dir) -> None:  # type: ignore[no-untyped-def]
    """A key file of a later format: "made by a newer version", not "damaged" (which sends the person to IT for a
    sound file) nor "wrong passphrase"; nothing is counted or changed."""
    from storage.keyfile import _checksum
    from storage.throttle import UnlockThrottle

    path = key_file_path(demo_profile_dir)
    body = json.loads(path.read_text())
    body["format"] = "hembesok-keyfile/3"
    body["checksum"] = _checksum(body)
    path.write_text(json.dumps(body))
    before = path.read_bytes()
    panel = demo_window.unlock_panel
    type_text(panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(panel.error.text()), timeout=20_000)
    assert "nyare version" in panel.error.text() and demo_window.session is None
    assert UnlockThrottle(demo_profile_dir).failures() == 0 and path.read_bytes() == before
