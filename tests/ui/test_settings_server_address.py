"""Inställningar (Ctrl+,): a sync server address that cannot be used is refused beside the field, in Swedish, with
what was typed kept and nothing stored (s33-probe). Before, any text was stored: a space in the address, no
https:// or a full-width host name then ended each "Anslut" in six attempts and "the server cannot be reached"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from uihelpers import type_text, unlock

from ui.settings import SERVER_URL


def _settings_typed(qtbot: Any, window: Any, address: str) -> dict[str, Any]:
    """Settings… then the address typed over the field and Enter (OK): what the dialog shows after it."""
    from ui.settings_dialog import SettingsDialog

    seen: dict[str, Any] = {}

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(10, act)  # not shown yet
            return
        dialog.server.setFocus()
        dialog.server.selectAll()
        qtbot.keyClick(dialog.server, Qt.Key.Key_Backspace)  # the address there before, gone
        type_text(dialog.server, address)
        qtbot.keyClick(dialog.server, Qt.Key.Key_Return)
        error = getattr(dialog, "server_error", None)  # on main: none
        seen.update(open=dialog.isVisible(), field=dialog.server.text(), said=error and error.text(),
                    shown=error is not None and error.isVisible(), focus=dialog.focusWidget() is dialog.server)
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, act)
    window.action_settings.trigger()  # File → Settings… (Ctrl+,); returns when the dialog has closed
    return seen


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
