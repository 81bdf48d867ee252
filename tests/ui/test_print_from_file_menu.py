"""Arkiv → Skriv ut utkast till utredning… (Ctrl+Shift+P): printing where a person looks for it (s27).

The preview opens with its Skriv ut focused once the draft is shown, so Enter prints the very pages it shows; the
print is audited as the preview's own Skriv ut. Driven by the shortcut's keys and by the menu's action, then Enter
on whatever has the focus; Qt's print dialog is answered by printing to a PDF file (offscreen has no printer).
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from uihelpers import print_entries, unlock

from ui.printing.preview import UtredningPreviewDialog

LOAD_TIMEOUT_MS = 60_000


def _open_first_case(qtbot, window) -> str:  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    window.case_list.table.setFocus()
    window.case_list.table.selectRow(0)
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.opened is not None)
    return window.workspace.opened.case.id


def _print_to(target: Path, asked: list[int], monkeypatch, answer=QDialog.DialogCode.Accepted):  # type: ignore[no-untyped-def]
    """Qt's print dialog answered as a person would: print to ``target`` (or cancel)."""

    def exec_(self):  # type: ignore[no-untyped-def]
        preview = self.parent()
        asked.append(preview.page_count())
        printer = self.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return answer

    monkeypatch.setattr(QPrintDialog, "exec", exec_)


def _enter_once_shown(window) -> None:  # type: ignore[no-untyped-def]
    """Once the preview (modal: its own event loop inside the key press) shows its document, Enter is pressed on
    what has the focus, as a person would; the preview is closed after, printed or not."""

    def watch() -> None:
        dialog = window.findChild(UtredningPreviewDialog)
        if dialog is None or not dialog._pdf or dialog.property("watched"):
            return
        dialog.setProperty("watched", True)
        focused = QApplication.focusWidget()
        QTest.keyClick(focused, Qt.Key.Key_Return)
        dialog.reject()

    timer = QTimer(window)
    timer.timeout.connect(watch)
    timer.start(5)


def test_ctrl_shift_p_prints_the_draft_utredning_without_a_second_step(
    qtbot, demo_window, demo_profile_dir, monkeypatch, tmp_path
):  # type: ignore[no-untyped-def]
    window = demo_window
    case_id = _open_first_case(qtbot, window)
    target, asked = tmp_path / "utskrift.pdf", []
    _print_to(target, asked, monkeypatch)
    _enter_once_shown(window)
    QTest.keySequence(window.workspace, QKeySequence("Ctrl+Shift+P"))
    qtbot.waitUntil(lambda: window.findChild(UtredningPreviewDialog) is None, timeout=LOAD_TIMEOUT_MS)
    assert target.exists(), "Enter on the preview opened the print dialog, which printed"
    pages = len(PdfReader(str(target)).pages)
    assert asked and pages == asked[0] >= 1, "every page the preview shows is printed"
    window.lock()
    details = print_entries(demo_profile_dir, case_id)
    assert len(details) == 1 and details[0].startswith("utredning v") and details[0].endswith(f", {pages} sidor")


def test_the_file_menu_holds_print_and_a_cancelled_dialog_prints_nothing(
    qtbot, demo_window, demo_profile_dir, monkeypatch, tmp_path
):  # type: ignore[no-untyped-def]
    window = demo_window
    case_id = _open_first_case(qtbot, window)
    file_menu = window.menuBar().actions()[0].menu()
    texts = [action.text() for action in file_menu.actions()]
    assert window.action_print in file_menu.actions(), texts
    assert window.action_print.shortcut().toString() == "Ctrl+Shift+P"
    target, asked = tmp_path / "utskrift.pdf", []
    _print_to(target, asked, monkeypatch, answer=QDialog.DialogCode.Rejected)
    _enter_once_shown(window)
    window.action_print.trigger()
    qtbot.waitUntil(lambda: bool(asked) and window.findChild(UtredningPreviewDialog) is None,
                    timeout=LOAD_TIMEOUT_MS)
    assert not target.exists()
    window.lock()
    assert print_entries(demo_profile_dir, case_id) == []


def test_print_is_off_while_no_case_is_shown(qtbot, demo_window):  # type: ignore[no-untyped-def]
    window = demo_window
    assert not window.action_print.isEnabled(), "locked: nothing to print"
    unlock(qtbot, window)
    window.action_print.trigger()  # the case list: no case shown, no preview, no error
    assert window.findChild(UtredningPreviewDialog) is None
