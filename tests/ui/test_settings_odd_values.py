"""The user's own settings file with odd values: an idle lock of 0, -5 or 100,000 minutes and a text size of 0 or
100,000 points are set aside for their defaults (10 minutes, 12 pt), as IT's machine-wide file is. Before, 100,000
minutes stopped the main window from opening (OverflowError in its timer), and 0 locked it again at once after
every unlock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from uihelpers import unlock

from storage.kdf import KdfParameters


@pytest.mark.parametrize(("minutes", "points"), [(100_000, 0), (0, 100_000), (-5, -1)])
def test_odd_values_in_the_users_settings_file_fall_back_to_the_defaults(  # type: ignore[no-untyped-def]
    qtbot, settings, demo_profile_dir: Path, minutes: int, points: int
) -> None:
    from ui.main_window import MainWindow, StartOptions
    from ui.settings import IDLE_LOCK_MINUTES, TEXT_SIZE

    written = QSettings(settings.file_name, QSettings.Format.IniFormat)  # as an older version or a hand edit left it
    written.setValue(IDLE_LOCK_MINUTES.key, minutes)
    written.setValue(TEXT_SIZE.key, points)
    written.sync()
    window = MainWindow(settings, StartOptions(profile_dir=demo_profile_dir, kdf=KdfParameters()))
    qtbot.addWidget(window)
    window.show()
    try:
        unlock(qtbot, window)
        assert window.idle.remaining_ms() > 9 * 60_000, "the idle lock runs its default 10 minutes"
        # A 0-minute lock was a 1 ms timer: it fired on the event loop's next turns and locked again after unlock.
        with qtbot.assertNotEmitted(window.idle.idle, wait=100):
            pass
        assert window.session is not None, "still unlocked"
        assert settings.get(TEXT_SIZE) == 12
    finally:
        if window.session is not None:
            window.session.lock()


def test_values_inside_the_ranges_are_kept(settings) -> None:  # type: ignore[no-untyped-def]
    from ui.settings import IDLE_LOCK_MINUTES, LANGUAGE, TEXT_SIZE

    settings.set(IDLE_LOCK_MINUTES, 60)
    settings.set(TEXT_SIZE, 14)
    settings.set(LANGUAGE, "en")
    assert (settings.get(IDLE_LOCK_MINUTES), settings.get(TEXT_SIZE), settings.get(LANGUAGE)) == (60, 14, "en")


@pytest.mark.parametrize(("key", "value"), [("ui/language", "de"), ("ui/language", ""), ("ui/text_size_pt", 13)])
def test_a_choice_the_dialog_does_not_offer_falls_back_to_the_default(  # type: ignore[no-untyped-def]
    qtbot, settings, key: str, value: object
) -> None:
    # An unknown language showed English words with Swedish messages; 13 pt showed as 10 pt in the dialog, and
    # saving it stored 10.
    from ui.settings import LANGUAGE, TEXT_SIZE
    from ui.settings_dialog import SettingsDialog

    written = QSettings(settings.file_name, QSettings.Format.IniFormat)
    written.setValue(key, value)
    written.sync()
    assert (settings.get(LANGUAGE), settings.get(TEXT_SIZE)) == ("sv", 12)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert (dialog.language.currentData(), dialog.text_size.currentData()) == ("sv", 12)


def test_sync_timeouts_outside_their_ranges_fall_back_to_the_defaults(settings) -> None:  # type: ignore[no-untyped-def]
    """An answer timeout of 0 s would give up every sync at once, a retry time of a day keep "Synkar…" for it."""
    from sync import timeouts
    from ui.settings import SYNC_ANSWER_SECONDS, SYNC_CONNECT_SECONDS, SYNC_RETRY_SECONDS
    from ui.window_sync import timeouts_set

    written = QSettings(settings.file_name, QSettings.Format.IniFormat)
    for setting, value in ((SYNC_CONNECT_SECONDS, 0), (SYNC_ANSWER_SECONDS, 301), (SYNC_RETRY_SECONDS, 86_400)):
        written.setValue(setting.key, value)
    written.sync()
    assert timeouts_set(settings) == (timeouts.CONNECT_SECONDS, timeouts.ANSWER_SECONDS, timeouts.RETRY_SECONDS)
    for setting, value in ((SYNC_CONNECT_SECONDS, 60), (SYNC_ANSWER_SECONDS, 300), (SYNC_RETRY_SECONDS, 0)):
        settings.set(setting, value)
    assert timeouts_set(settings) == (60, 300, 0)
