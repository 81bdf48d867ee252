"""An exception that reaches ``sys.excepthook`` in the running app (a fault in a menu action's slot) is told to the
person as the incident message, and nothing of its text (which may quote what was typed: a name, a personnummer)
reaches standard error or the log file: only its type and the incident id are written."""

from __future__ import annotations

from pathlib import Path

from app_child import ENTER_PASSPHRASE, RUN_MAIN_THEN_DRIVE, WHEN_IDLE, run_app_script_streams, tagged
from uihelpers import PASSPHRASE

SECRET = "Tolvan Tolvansson 19121212-1212"  # fictitious: the domain notes' test personnummer

F1_FAILS_THEN_REPORT = WHEN_IDLE + ENTER_PASSPHRASE + """
import json, logging, sys
from PySide6.QtCore import QEvent, QTimer, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox
import ui.shortcuts_dialog
def broken(self, *args, **kwargs):
    raise ValueError("input was " + sys.argv[3])  # as a pydantic error quotes the value it refused
ui.shortcuts_dialog.ShortcutsDialog.__init__ = broken
original_exec = QApplication.exec
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def report():
        boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        print("BOXES", json.dumps([box.text() for box in boxes]))
        [path] = [h.baseFilename for h in logging.getLogger().handlers if hasattr(h, "baseFilename")]
        print("LOG", json.dumps(open(path, encoding="utf-8").read()))
        for box in boxes:
            box.close()
        QApplication.instance().quit()
    def press_f1():
        window.activateWindow()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # the menu's shortcut, as a person presses it
            QApplication.sendEvent(window, QKeyEvent(kind, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier))
        QTimer.singleShot(100, report)
    window.unlocked.connect(lambda: when_idle(window, press_f1))
    QTimer.singleShot(300, lambda: enter_passphrase(window, sys.argv[2]))
""" + RUN_MAIN_THEN_DRIVE


def test_a_fault_in_a_menu_action_shows_the_incident_message_and_writes_nothing_personal(
        demo_profile_dir: Path, tmp_path: Path) -> None:
    output, stderr = run_app_script_streams(F1_FAILS_THEN_REPORT, str(demo_profile_dir), PASSPHRASE, SECRET,
                                            home=tmp_path / "home")
    log = tagged(output, "LOG")
    for written in (stderr, log):
        assert "Tolvan" not in written and "19121212" not in written  # on main: the traceback's last line, twice
        assert "input was" not in written
    [box] = tagged(output, "BOXES")  # on main: none, the person was told nothing
    assert box.startswith("Något oväntat gick fel.")  # Swedish, the default language
    incident = box.rsplit(" ", 1)[1]
    assert f"incident={incident}" in log and "error_type=ValueError" in log
    assert f"incident={incident}" in stderr
