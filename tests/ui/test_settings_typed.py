"""Inställningar (File → Settings…, Ctrl+,) typed by keys with odd values (s33-probe).

The sync server's address: one that cannot be used (a space, no https://, a full-width host name, a port past 65535)
is refused beside the field, in Swedish, as typed, with nothing stored. Before, any text was stored, and each
"Anslut" then ended in six attempts and "the server cannot be reached".

"Lås efter": a spin box refuses keys that would leave its range, so "90" became 9 minutes, "-5" became 5 and "5.5"
became 55, and 0 or text went back to the old value, each stored without a word. Every key is now kept, and a
number outside 1-60, or no whole number, is refused beside the field as typed, with nothing stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from uihelpers import in_modal, type_text, unlock

from ui.settings import IDLE_LOCK_MINUTES, SERVER_URL


def _typed_in_settings(qtbot: Any, window: Any, field_of: Any, error_name: str, text: str) -> dict[str, Any]:
    """Settings… from the File menu, ``text`` typed over the field ``field_of(dialog)`` and Enter (OK): whether the
    dialog stayed open, the field's text, what its message ``error_name`` said (None on main: no such message) and
    whether the field has the focus."""
    seen: dict[str, Any] = {}

    def act(dialog: Any) -> None:
        field = field_of(dialog)
        edit = field.lineEdit() if hasattr(field, "lineEdit") else field
        field.setFocus()
        edit.selectAll()
        qtbot.keyClick(field, Qt.Key.Key_Backspace)  # what was there before, gone
        type_text(edit, text)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        error = getattr(dialog, error_name, None)
        seen.update(open=dialog.isVisible(), field=field.text(), said=error and error.text(),
                    shown=error is not None and error.isVisible(), focus=dialog.focusWidget() is field)

    in_modal("settingsDialog", window.action_settings.trigger, act)
    return seen


def _settings_typed(qtbot: Any, window: Any, address: str) -> dict[str, Any]:
    return _typed_in_settings(qtbot, window, lambda dialog: dialog.server, "server_error", address)


def _minutes_typed(qtbot: Any, window: Any, minutes: str) -> dict[str, Any]:
    return _typed_in_settings(qtbot, window, lambda dialog: dialog.idle, "idle_error", minutes)


def test_an_address_with_a_space_is_refused_beside_the_field_and_kept(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    demo_window.settings.set(SERVER_URL, "https://sync.kommun.se")
    seen = _settings_typed(qtbot, demo_window, "https://sync kommun.se")
    assert seen["open"] and seen["shown"] and seen["focus"], seen  # on main: closed, the address stored
    assert seen["said"] == "Adressen kan inte innehålla mellanslag."
    assert seen["field"] == "https://sync kommun.se"
    assert demo_window.settings.get(SERVER_URL) == "https://sync.kommun.se"


def test_an_address_without_https_or_with_a_full_width_name_is_refused(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    seen = _settings_typed(qtbot, demo_window, "sync.kommun.se")
    assert seen["said"] == "Adressen börjar med https:// (till exempel https://sync.kommun.se).", seen
    seen = _settings_typed(qtbot, demo_window, "https://ｓｙｎｃ.kommun.se")
    assert seen["said"] == "Adressen anger ingen server som går att nå: skriv den som https://sync.kommun.se.", seen
    seen = _settings_typed(qtbot, demo_window, "https://sync.kommun.se:70000")
    assert seen["said"] == "Porten efter kolonet måste vara ett tal från 1 till 65535.", seen
    assert demo_window.settings.get(SERVER_URL) == ""


def test_an_international_name_or_an_empty_address_is_stored(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    seen = _settings_typed(qtbot, demo_window, " https://synk.växjö.se/hembesok ")
    assert not seen["open"], seen
    assert demo_window.settings.get(SERVER_URL) == "https://synk.växjö.se/hembesok"
    seen = _settings_typed(qtbot, demo_window, "")
    assert not seen["open"] and demo_window.settings.get(SERVER_URL) == ""  # not connected: allowed


def test_minutes_outside_the_range_or_no_whole_number_are_refused_as_typed(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    demo_window.settings.set(IDLE_LOCK_MINUTES, 10)
    for typed in ("90", "0", "-5", "5.5", "1000000000", "tio"):
        seen = _minutes_typed(qtbot, demo_window, typed)
        # On main: "90" stored as 9, "-5" as 5, "5.5" as 55, the rest silently left at 10 with the dialog closed.
        assert (seen["open"], seen["field"], seen["said"]) == (True, f"{typed} min",
                                                               "Skriv ett helt antal minuter från 1 till 60.")
        assert demo_window.settings.get(IDLE_LOCK_MINUTES) == 10


def test_minutes_inside_the_range_are_stored_and_used(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    unlock(qtbot, demo_window)
    seen = _minutes_typed(qtbot, demo_window, "45")
    assert not seen["open"], seen
    assert demo_window.settings.get(IDLE_LOCK_MINUTES) == 45
    assert demo_window.idle.remaining_ms() > 44 * 60_000
