"""The preview dialog with real widgets (offscreen): it loads the PDF, pages, zooms, saves and prints with audit."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QPushButton, QWidget

from ibic.demo import CASEWORKER, UNIT
from ibic.documents.outline import Section, Table
from ui.printing.preview import UtredningPreviewDialog, open_preview

from .conftest import TODAY, outline_of

LOAD_TIMEOUT_MS = 60_000


class AuditLog:
    """Collects what the dialog reports, as the app's audit log would."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str]] = []

    def __call__(self, action: str, detail: str) -> None:
        self.entries.append((action, detail))


@pytest.fixture
def audit() -> AuditLog:
    return AuditLog()


@pytest.fixture
def holder(qtbot) -> QWidget:
    """The previews' parent, closed after the test: a preview deletes itself when closed (WA_DeleteOnClose), so it
    cannot be handed to qtbot itself."""
    parent = QWidget()
    qtbot.addWidget(parent)
    return parent


@pytest.fixture
def dialog(qtbot, holder, home_visit, ref, audit) -> UtredningPreviewDialog:
    person, case = home_visit
    shown = open_preview(holder, case, person, ref, caseworker=CASEWORKER, unit=UNIT, audit=audit, today=TODAY)
    with qtbot.waitSignal(shown.document_loaded, timeout=LOAD_TIMEOUT_MS):
        pass
    return shown


def test_preview_loads_the_pdf_and_names_every_control(dialog):
    assert dialog.page_count() == 4
    assert dialog.page_label.text() == "Page 1 of 4"
    assert not dialog.busy.isVisible()
    assert dialog.windowTitle() == "Preview: investigation (draft)"
    for widget in dialog.findChildren(QWidget):
        if isinstance(widget, QPushButton | QPdfView):
            assert widget.objectName() and widget.accessibleName(), widget
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()


def test_buttons_and_page_keys_move_between_pages(dialog, qtbot):
    assert not dialog.previous_button.isEnabled()
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.current_page() == 1
    assert dialog.page_label.text() == "Page 2 of 4"
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageDown)
    assert dialog.current_page() == 2
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageUp)
    qtbot.keyClick(dialog.view, Qt.Key.Key_PageUp)
    assert dialog.current_page() == 0
    for _ in range(6):
        dialog.next_page()
    assert dialog.current_page() == 3
    assert not dialog.next_button.isEnabled()


def test_zoom_in_out_and_fit_width(dialog, qtbot):
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    qtbot.mouseClick(dialog.zoom_in_button, Qt.MouseButton.LeftButton)
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.Custom
    larger = dialog.view.zoomFactor()
    qtbot.mouseClick(dialog.zoom_out_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.zoom_out_button, Qt.MouseButton.LeftButton)
    assert dialog.view.zoomFactor() < larger
    for _ in range(20):
        dialog.zoom_out()
    assert dialog.view.zoomFactor() == pytest.approx(0.25)
    qtbot.mouseClick(dialog.fit_width_button, Qt.MouseButton.LeftButton)
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth


def _answer_warning(monkeypatch, answer, warnings):
    def warning(*args, **kwargs):
        warnings.append(args[2])
        return answer

    monkeypatch.setattr(QMessageBox, "warning", warning)


def _choose_file(monkeypatch, path: Path, calls):
    def get_save_file_name(*args, **kwargs):
        calls.append(args[2])
        return str(path), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", get_save_file_name)


def test_save_as_pdf_writes_nothing_when_the_warning_is_declined(dialog, qtbot, monkeypatch, tmp_path, audit):
    warnings: list[str] = []
    calls: list[str] = []
    _answer_warning(monkeypatch, QMessageBox.StandardButton.Cancel, warnings)
    _choose_file(monkeypatch, tmp_path / "kopia.pdf", calls)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "NOT encrypted" in warnings[0]
    assert calls == [] and list(tmp_path.iterdir()) == [] and audit.entries == []


def test_save_as_pdf_writes_the_previewed_bytes_after_the_warning_and_audits(
    dialog, qtbot, monkeypatch, tmp_path, audit
):
    warnings: list[str] = []
    calls: list[str] = []
    _answer_warning(monkeypatch, QMessageBox.StandardButton.Save, warnings)
    _choose_file(monkeypatch, tmp_path / "kopia", calls)
    with qtbot.waitSignal(dialog.saved, timeout=5_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "kopia.pdf"
    assert saved.read_bytes() == dialog._pdf
    assert len(PdfReader(io.BytesIO(saved.read_bytes())).pages) == 4
    assert calls[0].endswith("utredning-utkast.pdf")  # the suggested name holds no personal data
    assert audit.entries == [("save_pdf", "utredning v1, 4 sidor")]


def test_save_is_refused_when_the_audit_log_fails(qtbot, home_visit, ref, monkeypatch, tmp_path):
    def broken_audit(action: str, detail: str) -> None:
        raise OSError("audit store unavailable")

    person, case = home_visit
    shown = UtredningPreviewDialog(outline_of(person, case, ref), audit=broken_audit)
    qtbot.addWidget(shown)
    with qtbot.waitSignal(shown.document_loaded, timeout=LOAD_TIMEOUT_MS):
        pass
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: errors.append(args[1]))
    _answer_warning(monkeypatch, QMessageBox.StandardButton.Save, [])
    _choose_file(monkeypatch, tmp_path / "kopia.pdf", [])
    shown.save_as_pdf()
    assert errors == ["Not recorded"]
    assert list(tmp_path.iterdir()) == []


def test_print_sends_every_page_to_the_printer_and_audits(dialog, qtbot, monkeypatch, tmp_path, audit):
    target = tmp_path / "printed.pdf"

    def accept(self):
        printer = self.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    with qtbot.waitSignal(dialog.printed, timeout=LOAD_TIMEOUT_MS) as printed:
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert printed.args == [4]
    assert len(PdfReader(str(target)).pages) == 4
    assert audit.entries == [("print", "utredning v1, 4 sidor")]


def test_cancelled_print_dialog_prints_and_audits_nothing(dialog, qtbot, monkeypatch, audit):
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    with qtbot.assertNotEmitted(dialog.printed):
        dialog.print_document()
    assert audit.entries == []


def test_a_document_that_cannot_be_rendered_shows_a_message_and_keeps_buttons_off(qtbot, home_visit, ref, audit):
    person, case = home_visit
    outline = outline_of(person, case, ref)
    # A table without columns is a malformed outline: reportlab refuses it in the worker thread.
    broken = Section("Trasig tabell", (Table((), ()),))
    outline = replace(outline, sections=(*outline.sections, broken))
    shown = UtredningPreviewDialog(outline, audit=audit)
    qtbot.addWidget(shown)
    with qtbot.waitSignal(shown.generation_failed, timeout=LOAD_TIMEOUT_MS):
        pass
    assert "could not be created" in shown.status_label.text()
    assert not shown.print_button.isEnabled() and not shown.save_button.isEnabled()


def test_closing_the_dialog_while_the_pdf_renders_is_safe(qtbot, awkward, ref, audit):
    import gc

    person, case = awkward
    shown = UtredningPreviewDialog(outline_of(person, case, ref), audit=audit)
    job = shown._job
    assert job is not None and job.running
    shown.close()
    shown.deleteLater()
    del shown
    gc.collect()
    qtbot.waitUntil(lambda: not job.running, timeout=LOAD_TIMEOUT_MS)


def test_closing_the_preview_drops_the_document(dialog):
    assert dialog.page_count() == 4
    dialog.reject()  # as the idle lock does
    assert dialog._pdf == b"" and dialog.page_count() == 0
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()


def test_a_pdf_arriving_after_close_is_not_kept(qtbot, holder, home_visit, ref, audit):
    from ui.printing.pdf_writer import render_pdf

    person, case = home_visit
    outline = outline_of(person, case, ref)
    shown = UtredningPreviewDialog(outline, audit=audit, parent=holder)
    job = shown._job
    shown.reject()
    shown._show_pdf(render_pdf(outline))  # what the worker's report does when it arrives after the close
    assert shown._pdf == b"" and shown.page_count() == 0
    qtbot.waitUntil(lambda: job is not None and not job.running, timeout=LOAD_TIMEOUT_MS)


@pytest.fixture
def disk_fills_after_4_kib(monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    """Files opened under ``tmp_path`` stop growing at 4 KiB with ENOSPC, as a full disk stops them; set when the
    file is chosen, after the audit entry (the fixture's audit is a list, written nowhere). Not a process-wide
    RLIMIT_FSIZE: that also stops pytest's own output once it is written to a file past 4 KiB (CI's log)."""
    import errno
    import os

    real_fdopen = os.fdopen

    class FillsUp(io.RawIOBase):
        def __init__(self, file: Any) -> None:
            self._file = file

        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            room = 4096 - self._file.tell()
            if room <= 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            return int(self._file.write(bytes(data)[:room]))

        def fileno(self) -> int:
            return int(self._file.fileno())

        def close(self) -> None:
            self._file.close()
            super().close()

    def fills_up(opened: Any) -> Any:
        if opened.writable() and Path(os.readlink(f"/proc/self/fd/{opened.fileno()}")).parent == tmp_path:
            return io.BufferedWriter(FillsUp(opened))
        return opened

    real_open = io.open

    def fills_up_from_now() -> None:  # both ways a file is opened for writing (``os.fdopen``, ``Path.write_bytes``)
        monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: fills_up(real_fdopen(fd, *a, **k)))
        monkeypatch.setattr(io, "open", lambda file, *a, **k: fills_up(real_open(file, *a, **k)))

    yield fills_up_from_now


@pytest.mark.parametrize("existing", [False, True])
def test_a_save_that_fails_midway_leaves_no_partial_copy_and_keeps_the_file_it_replaced(  # type: ignore[no-untyped-def]
    dialog, qtbot, monkeypatch, tmp_path, disk_fills_after_4_kib, existing
):
    """A partial PDF is an unencrypted copy of personal data the person was told was not saved; and the copy saved
    before under that name was truncated first. On main both stayed: 4 KiB of the new document in its place."""
    target = tmp_path / "kopia.pdf"
    if existing:
        target.write_bytes(b"%PDF- the copy saved yesterday")
    errors: list[str] = []
    _answer_warning(monkeypatch, QMessageBox.StandardButton.Save, [])
    monkeypatch.setattr(QMessageBox, "critical", lambda *args, **kwargs: errors.append(args[2]))

    def choose(*args, **kwargs):  # type: ignore[no-untyped-def]
        disk_fills_after_4_kib()
        return str(target), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(dialog._pdf) > 4096
    assert errors and "could not be saved" in errors[0]
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == (["kopia.pdf"] if existing else [])
    if existing:
        assert target.read_bytes() == b"%PDF- the copy saved yesterday"


def test_a_part_left_by_a_killed_save_is_removed_by_the_next_save_there(  # type: ignore[no-untyped-def]
    dialog, qtbot, monkeypatch, tmp_path
):
    """A save killed mid-write (SIGKILL, a power cut) leaves its ``.part``: plaintext personal data under a name the
    person never chose. The next save to that folder removes it, and nothing else (fails on s21-probe: it stayed)."""
    stray = tmp_path / ".hembesok-k3x_9a2q.part"
    stray.write_bytes(b"%PDF- half of a document about Tolvan")
    others = ["kept.part", ".hembesok-notes.txt", ".hembesok-k3x_9a2q.part.pdf"]
    for name in others:
        (tmp_path / name).write_bytes(b"the person's own")
    _answer_warning(monkeypatch, QMessageBox.StandardButton.Save, [])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "kopia.pdf"), "PDF (*.pdf)"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([*others, "kopia.pdf"])
    assert (tmp_path / "kopia.pdf").read_bytes() == dialog._pdf
