"""Preview of the draft utredning: shows the very PDF bytes that will be printed or saved.

The PDF is produced off the UI thread and loaded into QtPdf from a QBuffer: it exists only in memory until
the user saves a copy, after a warning that the copy is not encrypted. Every print and save is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QPageSize, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ibic.cases import Case
from ibic.documents.outline import DocumentOutline
from ibic.documents.utredning import build_utredning
from ibic.people import Person
from ibic.reference import ReferenceData
from ui.common.page_keys import PREVIEW_KEYS, standard_key
from ui.common.reading_order_dialog import ReadingOrderDialog
from ui.common.saving import write_chosen_file
from ui.common.screen_fit import fit_to_screen
from ui.common.widgets import ReflowRow, ignoring_checked
from ui.common.worker import Job
from ui.printing.generation import Rendered, start_pdf_job
from ui.printing.print_pages import PrintFailed, print_pdf

AuditCallback = Callable[[str, str], None]
ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.25, 4.0
# No personal data in a file name: the suggested name says only what the document is.
SUGGESTED_FILE_NAME = "utredning-utkast.pdf"


@dataclass(frozen=True)
class DocumentKind:
    """What a previewed document is called: the window title, the save dialog's title, the suggested file name and
    the audit entry's label. None of them ever holds personal data."""

    window_title: str
    save_title: str
    file_name: str
    audit_label: str


def _name(widget: QWidget, object_name: str, accessible_name: str) -> None:
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)


class UtredningPreviewDialog(ReadingOrderDialog):
    """Page through, zoom, print or save the draft utredning."""

    document_loaded = Signal(int)  # the number of pages, once the PDF is shown
    generation_failed = Signal(str)  # the error type's name
    printed = Signal(int)  # pages sent to the printer
    saved = Signal()  # a copy was written where the user chose

    def __init__(
        self,
        outline: DocumentOutline,
        *,
        audit: AuditCallback,
        parent: QWidget | None = None,
        kind: DocumentKind | None = None,
    ) -> None:
        super().__init__(parent)
        # Deleted (on the UI thread) once closed, so closed previews do not pile up under the window until a lock; a
        # render still running then reports to no one (ui/common/worker.py).
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The uppdrag, the beslutsmeddelande and the reports are previewed here too, under their own names.
        self._kind = kind or DocumentKind(
            self.tr("Preview: investigation (draft)"),
            self.tr("Save the investigation as PDF"),
            SUGGESTED_FILE_NAME,
            "utredning",
        )
        # Only what print and save need is kept; the outline (the case's texts) goes to the worker.
        self._version = outline.version
        self._document_name = outline.metadata_title
        self._audit = audit
        self._pdf = b""
        self._job: Job | None = None
        self._closed = False
        _name(self, "utredningPreviewDialog", self.tr("Preview of the draft investigation"))
        # The window title is visible in the task bar: it never holds a name or a personnummer.
        self.setWindowTitle(self._kind.window_title)
        self._document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self._build()
        # As wide as the tool buttons in one row where the screen has room: a reflowing row asks its window for no
        # width, and at 12 pt the preview stayed 110 characters wide with its buttons in two rows (s25-rodd).
        metrics = self.fontMetrics()
        wide = max(metrics.averageCharWidth() * 110, self.sizeHint().width())
        fit_to_screen(self, QSize(wide, metrics.lineSpacing() * 60))
        self._generate(outline)

    # ----- layout -----------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.view = QPdfView(self)
        _name(self.view, "pdfView", self.tr("Document pages"))
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self._document)
        self.view.pageNavigator().currentPageChanged.connect(self._update_page_label)

        self.previous_button = self._button("previousPageButton", self.tr("Previous page"), self.previous_page)
        self.next_button = self._button("nextPageButton", self.tr("Next page"), self.next_page)
        self.page_label = QLabel(self)
        _name(self.page_label, "pageLabel", self.tr("Current page"))
        # Room for the text it gets once the document is made, so the tool row's width is known before (the
        # window's width is chosen from it) and does not change with the page number.
        widest = self.tr("Page {0} of {1}").format(888, 888)
        self.page_label.setMinimumWidth(self.fontMetrics().horizontalAdvance(widest))
        self.zoom_out_button = self._button("zoomOutButton", self.tr("Zoom out"), self.zoom_out, text="−")
        self.zoom_in_button = self._button("zoomInButton", self.tr("Zoom in"), self.zoom_in, text="+")
        self.fit_width_button = self._button("fitWidthButton", self.tr("Fit width"), self.fit_width)
        self.print_button = self._button("printButton", self.tr("Print…"), self.print_document)
        self.save_button = self._button("savePdfButton", self.tr("Save as PDF…"), self.save_as_pdf)

        # Two groups side by side while they fit, stacked when not (20 pt on a 1280×720 screen: one row of them
        # was 1,301 pixels wide and the preview wider than the screen, s25-odd).
        tools = ReflowRow([
            ReflowRow([self.previous_button, self.next_button, self.page_label, self.zoom_out_button,
                       self.zoom_in_button, self.fit_width_button], self),
            ReflowRow([self.print_button, self.save_button], self),
        ], self)

        self.busy = QProgressBar(self)
        _name(self.busy, "busyIndicator", self.tr("Creating the document"))
        self.busy.setRange(0, 0)  # indeterminate: the writer does not report progress
        self.status_label = QLabel(self.tr("Creating the document…"), self)
        _name(self.status_label, "statusLabel", self.tr("Status"))
        self.status_label.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        _name(self.buttons, "dialogButtons", self.tr("Close the preview"))
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        _name(close, "closeButton", self.tr("Close"))
        # The default, so Enter on the page closes the preview as Esc does: without one Qt made the first tool
        # button, Föregående sida, the default, and Enter turned a page back. A focused tool button still takes
        # Enter itself (Skriv ut… after Arkiv → Skriv ut…).
        close.setDefault(True)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(tools)
        layout.addWidget(self.busy)
        layout.addWidget(self.status_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)

        for name, key in PREVIEW_KEYS:  # declared there, so Hjälp › Kortkommandon lists them as bound here
            shortcut = QShortcut(standard_key(key), self, getattr(self, name))
            shortcut.setObjectName(f"shortcut_{name}")
        self._set_ready(False)

    def _button(self, object_name: str, accessible: str, slot: Callable[[], None], *, text: str = "") -> QPushButton:
        button = QPushButton(text or accessible, self)
        _name(button, object_name, accessible)
        button.setToolTip(accessible)
        button.clicked.connect(ignoring_checked(slot))
        return button

    def _set_ready(self, ready: bool) -> None:
        for button in (
            self.previous_button,
            self.next_button,
            self.zoom_out_button,
            self.zoom_in_button,
            self.fit_width_button,
            self.print_button,
            self.save_button,
        ):
            button.setEnabled(ready)

    def done(self, result: int) -> None:
        """Closing (also by the idle lock) drops the document: nothing of the case stays in this dialog."""
        self._closed = True
        self._pdf = b""
        self._document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray())
        self._set_ready(False)
        super().done(result)

    # ----- generation --------------------------------------------------------------------------------------
    def _generate(self, outline: DocumentOutline) -> None:
        self._job = start_pdf_job(self, outline, self._show_pdf, self._show_failure)

    def _show_pdf(self, rendered: Rendered) -> None:
        if self._closed:
            return  # closed before the PDF was ready: do not hold it
        data = self._pdf = rendered.pdf
        self._buffer.close()
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document.load(self._buffer)
        self.busy.hide()
        if self._document.status() != QPdfDocument.Status.Ready:
            self._show_failure("QPdfDocument")
            return
        self._say_unprintable(rendered.unprintable)
        self._set_ready(True)
        self._update_page_label()
        self.document_loaded.emit(self.page_count())

    def _say_unprintable(self, count: int) -> None:
        """Characters the typeface lacks print as a box or "�": said above the pages, before a copy is printed."""
        self.status_label.setText(self.tr(
            "%n character(s) in the document cannot be printed in its typeface (an emoji, or a script such as Chinese or Thai) and show as �. Write them another way before you print or send the document.",  # noqa: E501
            "", count,
        ) if count else "")
        self.status_label.setVisible(count > 0)

    def _show_failure(self, error_type: str) -> None:
        self.busy.hide()
        self.status_label.setText(
            self.tr("The document could not be created. Nothing you have written is lost; close and try again.")
        )
        self.status_label.show()
        self.generation_failed.emit(error_type)

    # ----- navigation and zoom -----------------------------------------------------------------------------
    def page_count(self) -> int:
        return self._document.pageCount()

    def current_page(self) -> int:
        """The page shown, counted from 0."""
        return self.view.pageNavigator().currentPage()

    def go_to_page(self, index: int) -> None:
        if self.page_count() == 0:
            return
        index = max(0, min(index, self.page_count() - 1))
        self.view.pageNavigator().jump(index, QPointF(), self.view.pageNavigator().currentZoom())
        self._update_page_label()

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def _update_page_label(self) -> None:
        count = self.page_count()
        if count:
            self.page_label.setText(self.tr("Page {0} of {1}").format(self.current_page() + 1, count))
        self.previous_button.setEnabled(count > 0 and self.current_page() > 0)
        self.next_button.setEnabled(count > 0 and self.current_page() < count - 1)

    def zoom_in(self) -> None:
        self._zoom_to(self.view.zoomFactor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_to(self.view.zoomFactor() / ZOOM_STEP)

    def _zoom_to(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(ZOOM_MIN, min(ZOOM_MAX, factor)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # ----- print and save ----------------------------------------------------------------------------------
    def _audit_detail(self) -> str:
        # What was printed, never whose: the audit entry itself records the case, the user and the time.
        return f"{self._kind.audit_label} v{self._version}, {self.page_count()} sidor"

    def print_document(self) -> None:
        """Print through Qt's print dialog; the print is audited before the first page leaves the app."""
        if not self._pdf:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._document_name)  # the spooler shows this: no personal data
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.setMinMax(1, self.page_count())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if not self._record("print"):
            return
        # Pages are painted here (a native printer may not be driven from another thread); a modal progress
        # dialog keeps the window responsive between pages and lets the user cancel a long job.
        progress = QProgressDialog(self.tr("Printing…"), self.tr("Cancel"), 0, self.page_count(), self)
        _name(progress, "printProgress", self.tr("Printing progress"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)

        def report(done: int, total: int) -> bool:
            progress.setMaximum(total)
            progress.setValue(done)
            QApplication.processEvents()
            # An idle lock in those events closed and freed this dialog, the progress and the document
            # (main_window._clear_screen): the job stops before the next page, not on a freed object.
            return isValid(progress) and not progress.wasCanceled()

        try:
            pages = print_pdf(self._document, printer, report)
        except PrintFailed:
            QMessageBox.critical(
                self, self.tr("Printing failed"), self.tr("The printer could not be reached. Check it and try again.")
            )
            return
        finally:
            if isValid(progress):
                progress.reset()
                progress.deleteLater()
        if isValid(self) and isValid(progress):
            self.printed.emit(pages)

    def save_as_pdf(self) -> None:
        """Save a copy where the user chooses, after a warning that the copy is not encrypted."""
        if not self._pdf:
            return
        answer = QMessageBox.warning(
            self,
            self.tr("Save an unencrypted copy?"),
            # One literal: lupdate must see the whole source text inside tr().
            self.tr(
                "The PDF file you save is NOT encrypted. Anyone who can open the file can read the personal data in it. Save it only where your municipality allows, and delete it when it is no longer needed."  # noqa: E501
            ),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Save:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getSaveFileName(
            self,
            self._kind.save_title,
            str(Path(folder) / self._kind.file_name),
            self.tr("PDF files (*.pdf)"),
        )
        if not path:
            return
        target = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
        if not self._record("save_pdf"):
            return
        if not write_chosen_file(self, target, self._pdf):
            return
        self.saved.emit()

    def _record(self, action: str) -> bool:
        """Write the audit entry first: no copy leaves the app without one."""
        try:
            self._audit(action, self._audit_detail())
        except Exception:  # the audit log is unavailable: refuse rather than print or save unrecorded
            QMessageBox.critical(
                self,
                self.tr("Not recorded"),
                self.tr("The action could not be written to the audit log, so it was stopped. Try again."),
            )
            return False
        return True


def open_preview(
    parent: QWidget | None,
    case: Case,
    person: Person,
    ref: ReferenceData,
    *,
    caseworker: str,
    unit: str,
    audit: AuditCallback,
    municipality: str = "",
    contact: str = "",
    today: date,
) -> UtredningPreviewDialog:
    """Build the outline (pure and quick, on the UI thread) and open the preview; the PDF renders in the background."""
    outline = build_utredning(
        case,
        person,
        ref,
        today=today,  # the session's day as the preview is asked for (the PDF's date)
        caseworker=caseworker,
        unit=unit,
        municipality=municipality,
        contact=contact,
        version=case.document_version,
    )
    dialog = UtredningPreviewDialog(outline, audit=audit, parent=parent)
    dialog.show()
    return dialog


def open_outline_preview(
    parent: QWidget | None, outline: DocumentOutline, kind: DocumentKind, *, audit: AuditCallback
) -> UtredningPreviewDialog:
    """Preview any other outline (uppdrag, beslutsmeddelande, report) in the same dialog as the utredning."""
    dialog = UtredningPreviewDialog(outline, audit=audit, parent=parent, kind=kind)
    dialog.show()
    return dialog
