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


def _held_change(monkeypatch):  # type: ignore[no-untyped-def]
    """The passphrase change on its worker, held on an Event until the test lets it go (no fixed sleep)."""
    import threading

    from storage.profile import Profile

    entered, release = threading.Event(), threading.Event()
    real = Profile.change_passphrase

    def held(profile, old, new):  # type: ignore[no-untyped-def]
        entered.set()
        assert release.wait(timeout=120)
        return real(profile, old, new)

    monkeypatch.setattr(Profile, "change_passphrase", held)
    return entered, release


def _change_through_the_menu_until_the_idle_lock(qtbot, window, old, entered):  # type: ignore[no-untyped-def]
    """Change passphrase… from the menu, the three fields typed and Enter pressed; the idle lock comes while the
    change runs (its dialog's exec returns then)."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ChangePassphraseDialog):
            QTimer.singleShot(20, fill_in)
            return
        type_text(dialog.old, old)
        type_text(dialog.new, NEW)
        type_text(dialog.confirm, NEW)
        window.idle.set_interval_ms(300)  # the handläggare walks away while the key is re-wrapped
        qtbot.keyClick(dialog.confirm, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill_in)
    with qtbot.waitSignal(window.locked, timeout=30_000):
        window.action_passphrase.trigger()  # the dialog's own event loop runs until the lock closes it
    assert entered.is_set() and window.session is None


def test_an_idle_lock_during_the_change_says_on_the_unlock_page_that_the_new_passphrase_is_in_force(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir, monkeypatch
):
    import pytest

    from storage.errors import WrongPassphrase

    window = demo_window
    unlock(qtbot, window)
    entered, release = _held_change(monkeypatch)
    _change_through_the_menu_until_the_idle_lock(qtbot, window, PASSPHRASE, entered)
    explanation = window.unlock_panel.explanation
    release.set()
    qtbot.waitUntil(lambda: "Lås upp med den nya" in explanation.text(), timeout=30_000)
    assert "byttes innan Hembesök låstes" in explanation.text()
    unlock(qtbot, window, NEW)
    window.lock()
    with pytest.raises(WrongPassphrase):
        unlock_profile(demo_profile_dir, PASSPHRASE)


def test_an_idle_lock_during_a_change_that_fails_says_the_old_passphrase_still_opens(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch
):
    window = demo_window
    unlock(qtbot, window)
    entered, release = _held_change(monkeypatch)
    _change_through_the_menu_until_the_idle_lock(qtbot, window, "inte den rätta frasen", entered)
    release.set()
    qtbot.waitUntil(lambda: "Lås upp med den du hade" in window.unlock_panel.explanation.text(), timeout=30_000)
    unlock(qtbot, window, PASSPHRASE)


def test_an_unlock_under_way_when_the_change_ends_still_tells_which_passphrase_is_in_force(  # type: ignore[no-untyped-def]
    qtbot, demo_window, monkeypatch
):
    """The idle lock during the change, the OLD passphrase typed and Enter pressed while the change still runs: the
    unlock reads the key file before the change re-wraps it and opens the profile. The change's end, between the
    two, must still reach the person once the window opens (before, it went to the unlock page, replaced by the
    case list a moment later: the handläggare went on with the old passphrase in mind and was refused next time)."""
    import threading

    from PySide6.QtCore import Qt

    from ui import window_unlock

    window = demo_window
    unlock(qtbot, window)
    entered, release = _held_change(monkeypatch)
    _change_through_the_menu_until_the_idle_lock(qtbot, window, PASSPHRASE, entered)
    key_in, go_on = threading.Event(), threading.Event()
    real_key_in = window_unlock._key_in

    def held_key_in(main):  # type: ignore[no-untyped-def]
        key_in.set()
        assert go_on.wait(timeout=120)
        real_key_in(main)

    monkeypatch.setattr(window_unlock, "_key_in", held_key_in)
    window.idle.set_interval_ms(10 * 60_000)
    type_text(window.unlock_panel.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(key_in.is_set, timeout=30_000)  # the old passphrase unwrapped the key: the change has not run
    release.set()
    qtbot.waitUntil(lambda: "Lås upp med den nya" in window.unlock_panel.explanation.text(), timeout=30_000)
    with qtbot.waitSignal(window.unlocked, timeout=30_000):
        go_on.set()
    assert "byttes innan Hembesök låstes" in window.statusBar().currentMessage()
