"""The handläggare's name typed when a profile is created: it becomes the profile's user id and goes on every case,
document and sync, so an odd paste is refused beside the field in Swedish, kept as pasted, and no profile is made.

On main a 120-character paste was cut to 64 characters by the field without a word (the name stored cut), and a tab
or U+0000 pasted into the name was stored as the user id.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from uihelpers import PASSPHRASE, paste, type_text

from storage.layout import profile_exists


def _submit(qtbot, window, name: str):  # type: ignore[no-untyped-def]
    panel = window.unlock_panel
    paste(qtbot, panel.name_edit, name)
    type_text(panel.passphrase_edit, PASSPHRASE)
    type_text(panel.confirm_edit, PASSPHRASE)
    qtbot.keyClick(panel.confirm_edit, Qt.Key.Key_Return)
    return panel


def test_a_name_longer_than_the_profile_holds_is_refused_whole(qtbot, window, profile_dir):  # type: ignore[no-untyped-def]
    name = "Maria-Josefin Andersson Lindqvist " * 4  # 136 characters, 135 once stripped
    panel = _submit(qtbot, window, name)
    assert panel.error.text() == "Namnet är för långt: högst 64 tecken."
    assert panel.name_edit.text() == name, "the paste is kept whole, not cut"
    assert window.session is None and not profile_exists(profile_dir)


def test_a_name_holding_a_tab_or_nul_is_refused(qtbot, window, profile_dir):  # type: ignore[no-untyped-def]
    for name in ("Maria\tSvensson", "Maria\x00Svensson"):
        panel = _submit(qtbot, window, name)
        assert panel.error.text() == "Ett namn kan inte innehålla tabbar, radbrytningar eller andra styrtecken."
        assert panel.name_edit.text() == name
        assert window.session is None and not profile_exists(profile_dir)
        panel.passphrase_edit.clear()
        panel.confirm_edit.clear()


def test_a_name_of_64_characters_makes_the_profile(qtbot, window):  # type: ignore[no-untyped-def]
    name = "Å" + "a" * 62 + "ö"
    with qtbot.waitSignal(window.unlocked, timeout=20_000):
        _submit(qtbot, window, name)
    assert window.session.profile.user_id == name
