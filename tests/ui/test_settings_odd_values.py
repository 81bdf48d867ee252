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
        qtbot.wait(50)
        assert window.session is not None, "still unlocked"
        assert settings.get(TEXT_SIZE) == 12
    finally:
        if window.session is not None:
            window.session.lock()


def test_values_inside_the_ranges_are_kept(settings) -> None:  # type: ignore[no-untyped-def]
    from ui.settings import IDLE_LOCK_MINUTES, TEXT_SIZE

    settings.set(IDLE_LOCK_MINUTES, 60)
    settings.set(TEXT_SIZE, 13)
    assert (settings.get(IDLE_LOCK_MINUTES), settings.get(TEXT_SIZE)) == (60, 13)
