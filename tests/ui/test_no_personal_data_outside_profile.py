"""The municipality's audit: a handläggare's day with one fictitious person whose name and text are marker strings,
then every byte the app wrote outside the encrypted database is searched for them.

main.py runs in a child of its own, as started from a desktop, with its own HOME, XDG folders and TMPDIR (Qt's
caches and config, the app's settings and log, Python's and SQLite's temp files all land there). The child unlocks
the demo profile, creates a case for "Läcktest Markörsson" (a test personnummer from the domain notes) with Ctrl+N,
types a marker text into the kartläggning, copies it with Ctrl+C and opens the preview of the utredning with Ctrl+P;
then either saves it as a PDF with Ctrl+S (the name suggested), locks with Ctrl+L in the preview and quits, or is
SIGKILLed with the preview open. Neither leaves a
marker in any file of the profile folder (the database and its WAL, backups and key files are encrypted or hold none),
the settings, the log, Qt's caches, the temp folder, nor in what the child wrote to standard output or error; after
the lock the clipboard, the window's title and every widget's text and the accessibility tree are free of them as well.

Where core dumps are written (``/proc/sys/kernel/core_pattern`` a plain name), a native crash with the case open
leaves none: main.py sets the core size limit to 0."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

from app_child import FOLDERS, REPO
from uihelpers import PASSPHRASE

NUMBER = "20170101-2393"  # a test personnummer (domain notes), not one of the demo's people
GIVEN, FAMILY = "Läcktest", "Markörsson"

DAY_THEN_LOCK_OR_KILL = """
import json, os, signal, sys, time
from PySide6.QtCore import QEvent, QTimer, Qt
from PySide6.QtGui import QAccessible, QGuiApplication, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
sys.path.insert(0, os.path.join(os.environ["PYTHONPATH"], "tests", "ui"))
from uihelpers import walk_texts
import resource
_soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))  # core dumps on as far as the system allows: main.py's own
original_exec = QApplication.exec                      # limit is what is tested
mode, given, family, number, text = sys.argv[3:8]

def report(facts):
    print("REPORT", json.dumps(facts), flush=True)

def typed(widget, chars):
    for char in chars:  # Swedish letters too (QTest.keyClicks takes ASCII only)
        key = ord(char.upper()) if char.isascii() and char.isalnum() else 0
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))

def keys(sequence):
    QTest.keySequence(QApplication.focusWidget(), sequence)  # where a person's keys go

def when(ready, then, what, deadline=None):
    deadline = deadline or time.monotonic() + 60
    if ready():
        then()
    elif time.monotonic() > deadline:
        report({"error": "never " + what})
        QApplication.instance().quit()
    else:
        QTimer.singleShot(20, lambda: when(ready, then, what, deadline))

def preview_shown():
    return any(w.objectName() == "utredningPreviewDialog" and w.isVisible() and w.page_count() > 0
               for w in QApplication.allWidgets())

def drive():
    window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
    def new_case():
        dialog = QApplication.activeModalWidget()
        typed(dialog.given_name, given)
        typed(dialog.family_name, family)
        typed(dialog.personal_number, number)
        dialog.origin.setFocus()
        QTest.keyClick(dialog.origin, Qt.Key.Key_Down)
        QTest.keyClick(dialog.personal_number, Qt.Key.Key_Return)  # OK
        when(lambda: window.workspace is not None and window.workspace.isVisible(), opened, "opened")
    def opened():
        window.activateWindow()
        QTest.qWaitForWindowActive(window)  # again, the dialog gone
        keys("Ctrl+3")
        field = window.workspace.area_form.own
        field.setFocus()
        typed(field, text)
        QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(field, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        facts = {"title": window.windowTitle(), "copied": QGuiApplication.clipboard().text()}
        when(preview_shown, lambda: previewed(facts), "previewed")
        keys("Ctrl+P")  # the preview is modal: its loop runs the wait above
    def previewed(facts):
        if mode == "kill":
            report(facts)
            os.kill(os.getpid(), signal.SIGKILL)
        if mode == "crash":  # a native crash (Qt, QtPdf, SQLCipher), as the kernel delivers it
            report({**facts, "core_limit": resource.getrlimit(resource.RLIMIT_CORE)})
            signal.signal(signal.SIGSEGV, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGSEGV)
        target = os.path.join(os.environ["HOME"], "Documents", "utredning-utkast.pdf")
        def answer_save():  # the warning that the copy is not encrypted: Spara
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                QTimer.singleShot(20, answer_save)
                return
            when(lambda: isinstance(QApplication.activeModalWidget(), QFileDialog), accept_name, "file dialog")
            box.button(QMessageBox.StandardButton.Save).click()
        def accept_name():  # the name the app suggests, as offered: Enter
            dialog = QApplication.activeModalWidget()
            facts["suggested"] = dialog.selectedFiles()
            QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)
        def lock_now():
            preview = next(w for w in QApplication.allWidgets() if w.objectName() == "utredningPreviewDialog")
            preview.activateWindow()
            QTest.qWaitForWindowActive(preview)  # again, the file dialog gone
            keys("Ctrl+L")  # in the preview, as a person locks from there
            when(lambda: window.session is None, lambda: locked(facts), "locked")
        when(lambda: os.path.exists(target), lock_now, "saved")
        QTimer.singleShot(0, answer_save)
        keys("Ctrl+S")  # Spara som PDF: the user's own copy, allowed
    def announced(interface, depth=0):  # what a screen reader is given: the accessibility tree under the window
        if interface is None or not interface.isValid() or depth > 80:
            return []
        texts = [interface.text(kind) for kind in (QAccessible.Text.Name, QAccessible.Text.Description,
                                                   QAccessible.Text.Value, QAccessible.Text.Help)]
        return texts + [t for i in range(interface.childCount()) for t in announced(interface.child(i), depth + 1)]
    def locked(facts):
        shown = [t for w in QApplication.topLevelWidgets() if w.isVisible() for t in walk_texts(w)]
        shown += announced(QAccessible.queryAccessibleInterface(window))
        facts.update(locked_title=window.windowTitle(), locked_clipboard=QGuiApplication.clipboard().text(),
                     shown=shown)
        report(facts)
        window.close()  # Arkiv › Avsluta's way out, locked: nothing to ask
    def listed():
        window.activateWindow()
        QTest.qWaitForWindowActive(window)  # shortcuts act in the active window only
        QTimer.singleShot(0, new_case)
        QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    window.unlocked.connect(lambda: QTimer.singleShot(0, listed))
    window.unlock_panel.passphrase_edit.insert(sys.argv[2])
    QTest.keyClick(window.unlock_panel.passphrase_edit, Qt.Key.Key_Return)

def exec_and_drive():
    QTimer.singleShot(0, drive)
    return original_exec()
QApplication.exec = staticmethod(exec_and_drive)
import main
main.main(["--profile", sys.argv[1]])
"""


def _day(profile_dir: Path, home: Path, mode: str, text: str) -> tuple[dict[str, object], str]:
    """The child's report and all it wrote to standard output and error. It runs in ``home``/work, where the
    kernel writes a core dump when /proc/sys/kernel/core_pattern is a plain name."""
    folders = {name: str(home / name.lower()) for name in (*FOLDERS, "TMPDIR", "work")}
    for folder in [*folders.values(), str(home / "Documents")]:
        Path(folder).mkdir(parents=True, mode=0o700)
    result = subprocess.run(
        [sys.executable, "-c", DAY_THEN_LOCK_OR_KILL, str(profile_dir), PASSPHRASE, mode, GIVEN, FAMILY, NUMBER,
         text], cwd=folders["work"], capture_output=True, text=True, timeout=120,
        env={**os.environ, **folders, "HOME": str(home), "SQLITE_TMPDIR": folders["TMPDIR"], "PYTHONPATH": str(REPO),
             "QT_QPA_PLATFORM": "offscreen"},
    )
    expected = {"kill": -signal.SIGKILL, "crash": -signal.SIGSEGV}.get(mode, 0)
    assert result.returncode == expected, result.stderr[-3000:]
    [line] = [line for line in result.stdout.splitlines() if line.startswith("REPORT ")]
    return json.loads(line.removeprefix("REPORT ")), result.stdout.replace(line, "") + result.stderr


def _markers(text: str) -> list[str]:
    return [GIVEN, FAMILY, text, NUMBER, NUMBER.replace("-", ""), NUMBER[2:], NUMBER[2:].replace("-", "")]


def _holding(markers: list[str], *folders: Path, exported: Path | None = None) -> dict[str, list[str]]:
    """Each file under ``folders`` that holds a marker in the clear (UTF-8, UTF-16 either way), with the markers;
    ``exported``, the PDF the user saved, left out (the user's own copy, and said to be unencrypted)."""
    found: dict[str, list[str]] = {}
    for folder in folders:
        for top, _dirs, names in os.walk(folder):
            for name in names:
                path = Path(top, name)
                if path == exported:
                    continue
                data = path.read_bytes()
                held = [m for m in markers if any(m.encode(e) in data for e in ("utf-8", "utf-16-le", "utf-16-be"))]
                if held or any(m in name for m in markers):
                    found[str(path)] = held or ["(its name)"]
    return found


def test_a_day_with_a_case_locked_in_its_preview_leaves_no_personal_data_outside_the_database(
        demo_profile_dir: Path, tmp_path: Path) -> None:
    text = f"MARKÖR{uuid.uuid4().hex} vill klara duschen själv"
    facts, written = _day(demo_profile_dir, tmp_path / "home", "lock", text)
    assert facts.get("error") is None, facts
    assert facts["copied"] == text  # the copy did reach the clipboard: its absence after the lock means something
    markers = _markers(text)
    assert [m for m in markers if m in str(facts["title"])] == []  # the title shows the case number only
    assert facts["locked_clipboard"] == ""
    assert "Hembesök är låst" in facts["shown"]  # the lock page was read, on screen and in the accessibility tree
    assert [m for m in markers if m in facts["locked_title"] or any(m in t for t in facts["shown"])] == []
    assert [m for m in markers if m in written] == []
    exported = tmp_path / "home" / "Documents" / "utredning-utkast.pdf"  # the name suggested: no name, no number
    assert facts["suggested"] == [str(exported)] and exported.read_bytes().startswith(b"%PDF")
    # Qt's file dialog keeps the folders it was in (QtProject.conf), not the file's name.
    assert _holding(markers, demo_profile_dir, tmp_path / "home", exported=exported) == {}


def test_a_kill_with_the_preview_open_leaves_no_personal_data_outside_the_database(
        demo_profile_dir: Path, tmp_path: Path) -> None:
    """The preview's PDF lives in memory (``ui.printing.preview``: a QBuffer): no temp file is left to clean."""
    text = f"MARKÖR{uuid.uuid4().hex} behöver hjälp med inköp"
    facts, written = _day(demo_profile_dir, tmp_path / "home", "kill", text)
    assert facts.get("error") is None, facts
    markers = _markers(text)
    assert [m for m in markers if m in written] == []
    assert _holding(markers, demo_profile_dir, tmp_path / "home") == {}


def test_a_native_crash_with_a_case_open_writes_no_core_dump(demo_profile_dir: Path, tmp_path: Path) -> None:
    """A core dump is the process's memory: every text on screen and the data key. main.py turns core dumps off
    for itself and the helpers it starts, whatever the system allows (s34-leak: on main the SIGSEGV left a "core"
    file with the person's name, personnummer and text in the working folder, where core_pattern is a plain name)."""
    text = f"MARKÖR{uuid.uuid4().hex} kraschar"
    facts, written = _day(demo_profile_dir, tmp_path / "home", "crash", text)
    assert facts.get("error") is None, facts
    assert facts["core_limit"] == [0, 0]  # whatever the system's core_pattern: systemd-coredump and apport honour it
    markers = _markers(text)
    assert [m for m in markers if m in written] == []
    assert _holding(markers, demo_profile_dir, tmp_path / "home") == {}
