"""The suite-wide fixture in tests/conftest.py: an exception that reaches sys.excepthook (from a Qt slot, under the
app's own hook too) or becomes the incident message fails the test that caused it; the explicit opt-out passes only
when the test saw the unexpected error. Run as a separate pytest so the failures are the inner tests'."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

INNER = '''
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow


def _boom() -> None:
    raise ValueError("raised in a slot")


def test_slot_error_from_a_shortcut(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    action = QAction("Boom", window)
    action.setShortcut(QKeySequence("Ctrl+B"))
    action.triggered.connect(_boom)
    window.addAction(action)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)


def test_error_in_a_qt_virtual(qtbot):
    from PySide6.QtWidgets import QWidget

    class Broken(QWidget):
        def keyPressEvent(self, event):
            raise ValueError("raised in a slot")

    widget = Broken()
    qtbot.addWidget(widget)
    qtbot.keyClick(widget, Qt.Key.Key_A)


def test_slot_error_under_the_apps_own_excepthook(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(sys, "excepthook", lambda *error: shown.append(error))  # an incident dialog would go here
    QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: bool(shown))


def test_error_shown_as_an_incident(qapp):
    from ui.errors import user_message

    user_message(RuntimeError("not a typed error"))


def test_no_error_at_all(qtbot):
    QTimer.singleShot(0, lambda: None)


def test_opted_out_and_asserting_the_incident(qapp, expect_unexpected_error):
    from ui.errors import user_message

    assert "Incident id" in user_message(RuntimeError("provoked"))
    assert [e.error_type for e in expect_unexpected_error] == ["RuntimeError"]


def test_opted_out_but_nothing_happened(qapp, expect_unexpected_error):
    pass
'''


def test_unexpected_errors_fail_the_test_that_caused_them(tmp_path: Path) -> None:
    (tmp_path / "test_inner.py").write_text(INNER, encoding="utf-8")
    result = subprocess.run(
        # pytest-qt's own capture is off, so the failures are this fixture's alone.
        [sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider", "-o",
         "qt_no_exception_capture=true", "-c",
         str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path), "-rA", "-q", str(tmp_path / "test_inner.py")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    outcomes = dict(
        (name, outcome) for outcome, name in re.findall(r"^(PASSED|FAILED|ERROR) \S*::(\w+)", result.stdout, re.M)
    )
    assert outcomes == {
        "test_slot_error_from_a_shortcut": "FAILED",
        "test_error_in_a_qt_virtual": "FAILED",
        "test_slot_error_under_the_apps_own_excepthook": "FAILED",
        "test_error_shown_as_an_incident": "FAILED",
        "test_no_error_at_all": "PASSED",
        "test_opted_out_and_asserting_the_incident": "PASSED",
        "test_opted_out_but_nothing_happened": "ERROR",
    }, result.stdout[-3000:]
    assert result.stdout.count("ValueError: raised in a slot") >= 3
