"""The uppföljning record previewed and printed from the follow-up step (s30-followdoc; on s30-probe nothing printed
a follow-up: neither the button nor Ärende → Förhandsgranska uppföljning (Ctrl+Shift+F) existed, so these fail).

Through the keys: Space on the step's "Förhandsgranska uppföljningen…", and Ctrl+Shift+F from another step, which
goes to the follow-up step (the newest follow-up) and previews it; the preview's Skriv ut (Ctrl+P) through Qt's
print dialog (answered by printing to a PDF file: offscreen has no printer), audited as the utredning's print is.
The printed text read with pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from uihelpers import print_entries, type_text, unlock, when_shown

from ui.printing.preview import UtredningPreviewDialog

LOAD_TIMEOUT_MS = 60_000


def _open(qtbot, window, number: str):  # type: ignore[no-untyped-def]
    unlock(qtbot, window)
    type_text(window.case_list.search, number)
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None and window.workspace.opened is not None)
    return window.workspace


def _in_preview(qtbot, act) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """``act(dialog, seen)`` run in the preview (modal, as the utredning's) once its PDF is shown; the preview is
    closed after. Returns what ``act`` noted, with the window title."""
    seen: dict[str, object] = {}

    def ready(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.waitUntil(lambda: bool(dialog._pdf), timeout=LOAD_TIMEOUT_MS)
        seen["title"] = dialog.windowTitle()
        act(dialog, seen)

    when_shown("utredningPreviewDialog", ready)
    return seen


def _pdftotext(pdf: bytes, folder: Path) -> str:
    path = folder / "shown.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_the_steps_button_previews_the_follow_up_typed_and_prints_it(  # type: ignore[no-untyped-def]
    qtbot, demo_window, demo_profile_dir, monkeypatch, tmp_path
):
    workspace = _open(qtbot, demo_window, "DEMO-2025-0117")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    page = workspace.follow_up_page
    for field, hours in ((page.time.granted, "104"), (page.time.performed, "109,2")):  # typed over the demo's
        QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(field, hours)
    type_text(page.changed_needs, "Behöver mer stöd vid dusch.")
    target, asked = tmp_path / "utskrift.pdf", []

    def exec_(self):  # type: ignore[no-untyped-def]
        asked.append(self.parent().page_count())
        self.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer().setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)

    def read_and_print(dialog, seen) -> None:  # type: ignore[no-untyped-def]
        seen["text"] = " ".join(_pdftotext(dialog._pdf, tmp_path).split())
        seen["pages"] = dialog.page_count()
        with qtbot.waitSignal(dialog.printed, timeout=LOAD_TIMEOUT_MS):
            QTest.keySequence(dialog, QKeySequence("Ctrl+P"))  # Skriv ut: Qt's print dialog

    seen = _in_preview(qtbot, read_and_print)
    page.preview_button.setFocus()
    QTest.keyClick(page.preview_button, Qt.Key.Key_Space)
    assert seen["title"] == "Förhandsgranskning: uppföljning (utkast)"
    for expected in ("Uppföljning", "UTKAST", "DEMO-2025-0117", "Beviljad och utförd tid", "104 tim", "109 tim 12 min",
                     "Avvikelsen +5,0 % ryms inom ±5 %.", "Måluppfyllelse", "Delvis uppnått",
                     "Behöver mer stöd vid dusch.", "Handlingen omfattas av sekretess"):
        assert expected in str(seen["text"]), expected
    pages = len(PdfReader(str(target)).pages)
    assert asked == [pages] and pages == seen["pages"]
    assert demo_window.findChild(UtredningPreviewDialog) is None, "closed and gone"
    case_id = workspace.opened.case.id
    demo_window.lock()
    assert print_entries(demo_profile_dir, case_id) == [f"uppföljning v1, {pages} sidor"]


def test_ctrl_shift_f_from_another_step_previews_the_newest_follow_up(qtbot, demo_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    workspace = _open(qtbot, demo_window, "DEMO-2025-0117")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert demo_window.action_follow_up.shortcut().toString() == "Ctrl+Shift+F"
    seen = _in_preview(qtbot, lambda dialog, seen: seen.update(
        text=" ".join(_pdftotext(dialog._pdf, tmp_path).split()), step=workspace.step))
    QTest.keySequence(workspace, QKeySequence("Ctrl+Shift+F"))
    assert seen["step"] == "follow_up", "the follow-up step shown under the preview"
    text = str(seen["text"])
    assert "Uppföljningen är inte genomförd ännu" in text and "Hembesök med fast omsorgskontakt närvarande." in text


def test_a_case_without_a_follow_up_says_there_is_none_to_print(qtbot, demo_window) -> None:  # type: ignore[no-untyped-def]
    workspace = _open(qtbot, demo_window, "DEMO-2026-0001")
    assert not workspace.opened.case.follow_ups
    QTest.keySequence(workspace, QKeySequence("Ctrl+Shift+F"))
    page = workspace.follow_up_page
    assert page.follow_ups.error.text() == "Lägg först till en uppföljning: det finns ingen att skriva ut."
    assert demo_window.findChild(UtredningPreviewDialog) is None
