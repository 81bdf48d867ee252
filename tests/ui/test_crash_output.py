"""An exception that reaches ``sys.excepthook`` in the running app (a fault in a menu action's slot) is told to the
person as the incident message, and nothing of its text (which may quote what was typed: a name, a personnummer)
reaches standard error or the log file: only its type and the incident id are written."""

from __future__ import annotations

from pathlib import Path

from app_child import ENTER_PASSPHRASE, RUN_MAIN_THEN_DRIVE, WHEN_IDLE, run_app_script_streams, tagged
from uihelpers import PASSPHRASE

SECRET = "Tolvan Tolvansson 19121212-1212"  # fictitious: the domain notes' test personnummer

F1_FAILS_THEN_REPORT = WHEN_IDLE + ENTER_PASSPHRASE + """
import json, logging, sys, time
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
        when_shown(time.monotonic() + 30)
    def when_shown(deadline):  # the incident box, or what there is after 30 s (the test then fails on it)
        shown = any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets())
        if shown or time.monotonic() > deadline:
            report()
        else:
            QTimer.singleShot(20, lambda: when_shown(deadline))
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
    # Where it was raised, for support (on s21-probe: the type only): the faulty function, then the action's slot.
    frames = log.split("frames=", 1)[1].split()[0].split("<")
    assert frames[0].startswith("__main__:broken:") and ":_show_shortcuts:" in frames[1]
    assert str(tmp_path) not in log and "/" not in log.split("frames=", 1)[1].split()[0]  # no file path


THREAD_FAILS_THEN_REPORT = WHEN_IDLE + ENTER_PASSPHRASE + """
import json, logging, sys, threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
original_exec = QApplication.exec
def failing_work():
    raise ValueError("input was " + sys.argv[3])
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def fail_on_a_thread():
        worker = threading.Thread(target=failing_work, name="worker")
        worker.start()
        worker.join()
        [path] = [h.baseFilename for h in logging.getLogger().handlers if hasattr(h, "baseFilename")]
        print("LOG", json.dumps(open(path, encoding="utf-8").read()))
        print("STILL_OPEN", json.dumps(window.isVisible() and window.session is not None))
        QApplication.instance().quit()
    window.unlocked.connect(lambda: when_idle(window, fail_on_a_thread))
    QTimer.singleShot(300, lambda: enter_passphrase(window, sys.argv[2]))
""" + RUN_MAIN_THEN_DRIVE


def test_a_fault_on_a_worker_thread_writes_its_place_but_nothing_personal(
        demo_profile_dir: Path, tmp_path: Path) -> None:
    """A ``threading.Thread`` that raises goes to ``threading.excepthook``, whose default printed the traceback's
    text to standard error (fails on s21-probe: the secret is in stderr)."""
    output, log = _run_logging_nothing_personal(THREAD_FAILS_THEN_REPORT, demo_profile_dir, tmp_path)
    assert "error_type=ValueError" in log and "frames=__main__:failing_work:" in log
    assert tagged(output, "STILL_OPEN")  # the app goes on: the thread's work is what failed


UNRAISABLE_THEN_REPORT = WHEN_IDLE + ENTER_PASSPHRASE + """
import gc, json, logging, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
original_exec = QApplication.exec
class Held:
    def __del__(self):
        raise ValueError("input was " + sys.argv[3])
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def drop_one():
        held = Held()
        del held  # its __del__ raises: Python cannot raise it anywhere
        gc.collect()
        [path] = [h.baseFilename for h in logging.getLogger().handlers if hasattr(h, "baseFilename")]
        print("LOG", json.dumps(open(path, encoding="utf-8").read()))
        QApplication.instance().quit()
    window.unlocked.connect(lambda: when_idle(window, drop_one))
    QTimer.singleShot(300, lambda: enter_passphrase(window, sys.argv[2]))
""" + RUN_MAIN_THEN_DRIVE


def test_an_exception_python_cannot_raise_writes_its_place_but_nothing_personal(
        demo_profile_dir: Path, tmp_path: Path) -> None:
    """``sys.unraisablehook`` (a ``__del__`` that raises): its default printed "Exception ignored in" with the text
    to standard error (fails on s21-probe)."""
    _, log = _run_logging_nothing_personal(UNRAISABLE_THEN_REPORT, demo_profile_dir, tmp_path)
    assert "error_type=ValueError" in log and "frames=__main__:__del__:" in log


def _run_logging_nothing_personal(script: str, profile: Path, tmp_path: Path) -> tuple[str, str]:
    """The child's standard output and log file; neither the log nor standard error holds the exception's text."""
    output, stderr = run_app_script_streams(script, str(profile), PASSPHRASE, SECRET, home=tmp_path / "home")
    log = tagged(output, "LOG")
    for written in (stderr, log):
        assert "Tolvan" not in written and "19121212" not in written and "input was" not in written
    return output, log


WARNING_THEN_REPORT = WHEN_IDLE + ENTER_PASSPHRASE + """
import json, logging, sys, warnings
from PySide6.QtCore import QEvent, QTimer, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
import ui.shortcuts_dialog
shown = ui.shortcuts_dialog.ShortcutsDialog.__init__
def warned(self, *args, **kwargs):  # as pydantic's serializer warns, quoting the value: "input_value=..."
    warnings.warn("Expected `int` - serialized value may not be as expected [input_value=" + repr(sys.argv[3]) + "]")
    shown(self, *args, **kwargs)
ui.shortcuts_dialog.ShortcutsDialog.__init__ = warned
original_exec = QApplication.exec
def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def report():
        [path] = [h.baseFilename for h in logging.getLogger().handlers if hasattr(h, "baseFilename")]
        print("LOG", json.dumps(open(path, encoding="utf-8").read()))
        QApplication.instance().quit()
    def press_f1():
        window.activateWindow()
        QTimer.singleShot(0, report)  # in the shortcut list's own loop, once it is shown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # the menu's shortcut, as a person presses it
            QApplication.sendEvent(window, QKeyEvent(kind, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier))
    window.unlocked.connect(lambda: when_idle(window, press_f1))
    QTimer.singleShot(300, lambda: enter_passphrase(window, sys.argv[2]))
""" + RUN_MAIN_THEN_DRIVE


def test_a_python_warning_writes_its_place_but_not_its_text(demo_profile_dir: Path, tmp_path: Path) -> None:
    """``warnings.showwarning``'s default printed the warning's text, a value and all, to standard error (s34-leak:
    fails on main, the secret in stderr)."""
    _, log = _run_logging_nothing_personal(WARNING_THEN_REPORT, demo_profile_dir, tmp_path)
    assert "python warning" in log and "error_type=UserWarning" in log and "frames=<string>:" in log
