"""Changing the passphrase from the app: the old one is checked, the new one must be strong and repeated."""

from __future__ import annotations

from uihelpers import PASSPHRASE, type_text, unlock

from storage.profile import unlock_profile
from ui.unlock.change_passphrase import ChangePassphraseDialog

NEW = "ny-lösenfras-för-vintern"


def _dialog(qtbot, window):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    dialog = ChangePassphraseDialog(window.session.profile, window)
    qtbot.addWidget(dialog)
    return dialog


def test_wrong_old_passphrase_is_refused_in_swedish_and_the_fields_keep_their_text(qtbot, demo_window):  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, demo_window)
    type_text(dialog.old, "inte den rätta frasen")
    type_text(dialog.new, NEW)
    type_text(dialog.confirm, NEW)
    dialog._submit()
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=20_000)
    assert "Fel lösenfras" in dialog.error.text()
    assert dialog.new.text() == NEW


def test_weak_or_mismatched_new_passphrase_is_refused_before_any_key_work(qtbot, demo_window):  # type: ignore[no-untyped-def]
    dialog = _dialog(qtbot, demo_window)
    type_text(dialog.old, PASSPHRASE)
    type_text(dialog.new, "kort")
    dialog._submit()
    assert "för svag" in dialog.error.text()
    dialog.new.clear()
    type_text(dialog.new, NEW)
    type_text(dialog.confirm, NEW + "x")
    dialog._submit()
    assert "inte likadana" in dialog.error.text()


def test_the_new_passphrase_opens_the_profile_and_the_old_one_no_longer_does(qtbot, demo_window, demo_profile_dir):  # type: ignore[no-untyped-def]
    import pytest

    from storage.errors import WrongPassphrase

    dialog = _dialog(qtbot, demo_window)
    type_text(dialog.old, PASSPHRASE)
    type_text(dialog.new, NEW)
    type_text(dialog.confirm, NEW)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog._submit()
    demo_window.lock()
    unlock_profile(demo_profile_dir, NEW).lock()
    with pytest.raises(WrongPassphrase):
        unlock_profile(demo_profile_dir, PASSPHRASE)
