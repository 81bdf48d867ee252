"""A passphrase holding å, ä or ö opens the profile whichever Unicode form it arrives in.

"å" typed on a Swedish keyboard is one character (NFC); pasted from some sources or entered with some input methods it
is "a" and a combining ring (NFD): the same passphrase to the person, other bytes to the key derivation. On main a
profile made with a pasted NFD passphrase said "Fel lösenfras" when the passphrase was then typed.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from uihelpers import PASSPHRASE, paste, type_text, unlock

import storage.keyfile as keyfile

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


def test_a_key_file_wrapped_under_the_decomposed_form_before_the_change_still_opens(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with monkeypatch.context() as before:  # main wrapped the passphrase as it came
        before.setattr(keyfile, "passphrase_forms", lambda passphrase: [passphrase])
        _create(qtbot, window, DECOMPOSED)
    unlock(qtbot, window, PASSPHRASE)
    assert window.session is not None


def test_a_wrong_passphrase_is_still_refused(qtbot, window, profile_dir) -> None:  # type: ignore[no-untyped-def]
    """Refused after each form is tried (two key derivations in the helper process), and counted once by the
    throttle: three wrong Swedish passphrases must not cost the wait of six."""
    from storage.throttle import UnlockThrottle

    _create(qtbot, window, DECOMPOSED)
    panel = window.unlock_panel
    type_text(panel.passphrase_edit, "blåbär-kanot-fjäll-lyktå")
    qtbot.keyClick(panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(panel.error.text()), timeout=20_000)
    assert "Fel lösenfras" in panel.error.text() and window.session is None
    assert UnlockThrottle(profile_dir).failures() == 1


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
