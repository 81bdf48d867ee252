"""The log file is rotated by size without ``logging.handlers`` (issue 14, the memory row): that module imports pickle
for its socket handler, ~0.4 MiB kept resident all day in the unlocked window for a file the app only appends to."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from app_child import ENTER_PASSPHRASE, RUN_MAIN_THEN_DRIVE, WHEN_IDLE, run_app_script, tagged
from uihelpers import PASSPHRASE

from ui import logging_setup

UNLOCK_THEN_REPORT = WHEN_IDLE + ENTER_PASSPHRASE + """
import json, logging, sys
from PySide6.QtCore import QEvent, QTimer, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
original_exec = QApplication.exec
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def listed():
        [path] = [h.baseFilename for h in logging.getLogger().handlers if hasattr(h, "baseFilename")]
        print("LOADED", json.dumps([name for name in ("logging.handlers", "pickle") if name in sys.modules]))
        print("LOG", json.dumps(open(path, encoding="utf-8").read()))
        QApplication.instance().quit()
    window.unlocked.connect(lambda: when_idle(window, listed))
    QTimer.singleShot(300, lambda: enter_passphrase(window, sys.argv[2]))
""" + RUN_MAIN_THEN_DRIVE


def test_the_unlocked_window_writes_its_log_file_without_logging_handlers(demo_profile_dir: Path,
                                                                          tmp_path: Path) -> None:
    output = run_app_script(UNLOCK_THEN_REPORT, str(demo_profile_dir), PASSPHRASE, home=tmp_path / "home")
    assert tagged(output, "LOADED") == []  # on 383e90d both: RotatingFileHandler's module and its pickle
    log = tagged(output, "LOG")
    assert " INFO ui.app: started action=start" in log


@pytest.fixture
def small_log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(logging_setup, "LOG_FILE_BYTES", 400)
    root = logging.getLogger()
    before = list(root.handlers)
    logging_setup.add_log_file(tmp_path / "log")
    [handler] = [handler for handler in root.handlers if handler not in before]
    yield tmp_path / "log"
    root.removeHandler(handler)
    handler.close()


def test_the_log_file_is_rotated_by_size_keeping_three_older_files(small_log_file: Path) -> None:
    log = logging.getLogger("ui.test_rotation")
    for number in range(60):
        log.warning("entry %s", number, extra={"count": number})  # the argument is dropped, the count kept
    names = sorted(path.name for path in small_log_file.iterdir())
    assert names == ["hembesok.log", "hembesok.log.1", "hembesok.log.2", "hembesok.log.3"]
    counts = []
    for name in reversed(names):  # oldest first
        text = (small_log_file / name).read_text(encoding="utf-8")
        assert 0 < len(text.encode()) <= 400
        counts += [int(line.rsplit("count=", 1)[1]) for line in text.splitlines()]
    assert counts == list(range(counts[0], 60))  # consecutive, the newest in hembesok.log, the oldest dropped
    assert counts[0] > 0
