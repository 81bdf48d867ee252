"""One report of the own caseload: a period, its tables, and export as CSV or as a PDF through the preview dialog.

The numbers come from ``ibic.reports`` only; this dialog shows them, with their labels in the interface's language
(the tables' labels are domain messages), while the CSV and the PDF stay Swedish. A report names no one (case
numbers only), so its CSV needs no warning about personal data; each export is still written to the audit log.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ibic.messages import Message
from ibic.reports import CaseloadReport, ReportTable, caseload_report, own_caseload_scope, report_outline, to_csv
from ibic.reports.table import Cell
from ui.common.fields import DateField, ErrorLabel
from ui.common.reading_order_dialog import ReadingOrderDialog
from ui.common.saving import write_chosen_file
from ui.common.screen_fit import fit_to_screen
from ui.common.widgets import ReflowRow, enter_kept_from_default, named, push_button
from ui.messages import shown
from ui.printing.preview import DocumentKind, open_outline_preview
from ui.reports.caseload_source import own_caseload
from ui.reports.kinds import ReportKind
from ui.session import Session


def _cell_text(cell: Cell) -> str:
    return shown(cell) if isinstance(cell, Message) else cell


def _table_widget(table: ReportTable, parent: QWidget) -> QTableWidget:
    widget = named(_FittingTable(len(table.cells), len(table.headers), parent), "reportTable", shown(table.heading))
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it): it wrapped round its cells
    for row, cells in enumerate(table.cells):
        for column, cell in enumerate(cells):
            widget.setItem(row, column, QTableWidgetItem(_cell_text(cell)))
    widget.resizeColumnsToContents()
    widget.set_headers([shown(header) for header in table.headers])
    return widget


class _FittingTable(QTableWidget):
    """A report table whose columns share the width it has: at 20 pt (16 pt at 150 %) the columns at their values'
    and wrapped headers' widths were wider than a 1366-pixel screen and internkontroll and handläggningstider
    scrolled sideways. The widest columns but the first give up width, down to an equal share each, their values and
    header words elided (the whole value and the whole header as tooltips); narrower columns keep their width.
    Every column stays on screen."""

    def __init__(self, rows: int, columns: int, parent: QWidget) -> None:
        super().__init__(rows, columns, parent)
        self._headers: list[str] = []
        self._wrapped: list[str] = []  # at the columns' own widths
        self._natural: list[int] = []
        self._values: list[int] = []

    def set_headers(self, headers: list[str]) -> None:
        """Each header broken into lines no wider than its column's values (or 12 characters): "Antal dagar till
        beslutsmeddelande" on one line made a column of two-digit numbers wide, and internkontroll and
        handläggningstider scrolled sideways at 1280 pixels and 12 pt. The whole header is its tooltip."""
        self._headers = headers
        metrics = self.horizontalHeader().fontMetrics()
        floor = metrics.averageCharWidth() * 12
        for column, text in enumerate(headers):
            item = QTableWidgetItem(_wrap(text, metrics, max(self.columnWidth(column), floor)))
            item.setToolTip(text)
            self.setHorizontalHeaderItem(column, item)
        self.resizeColumnsToContents()
        self._wrapped = [_text(self.horizontalHeaderItem(column)) for column in range(self.columnCount())]
        self._natural = [self.columnWidth(column) for column in range(self.columnCount())]
        self._values = [self.sizeHintForColumn(column) for column in range(self.columnCount())]  # the cells alone
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if not self._natural:
            return
        widths = shared_widths(self._natural, self.viewport().width(), self._values)
        metrics = self.horizontalHeader().fontMetrics()
        margin = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin) + 4
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width)
            text = (self._wrapped[column] if width >= self._natural[column]
                    else _wrap(self._headers[column], metrics, width - margin, elide=True))
            header = self.horizontalHeaderItem(column)
            if header is not None and header.text() != text:
                header.setText(text)
            self._tooltips_where_cut(column, width)

    def _tooltips_where_cut(self, column: int, width: int) -> None:
        metrics = self.fontMetrics()
        for row in range(self.rowCount()):
            item = self.item(row, column)
            if item is not None:
                cut = metrics.horizontalAdvance(item.text()) + 8 > width
                item.setToolTip(item.text() if cut else "")


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


def shared_widths(natural: list[int], room: int, values: list[int] | None = None) -> list[int]:
    """``natural`` within ``room``: the first column (the case number, which names the row) whole, the widest of the
    others cut to one cap, the rest kept (never under a few pixels). Where every column's ``values`` fit, only what
    their headers want beyond them is cut: at 20 pt on 1366×768 handläggningstider's dates read "2026-08-…" beside
    the room "Dagar till beslutsmeddelande" took (s30-look); a header word is elided, its whole header the tooltip."""
    if sum(natural) <= room or len(natural) < 2:
        return list(natural)
    if values is not None:
        kept = [min(value, width) for value, width in zip(values[1:], natural[1:], strict=True)]
        if natural[0] + sum(kept) <= room:
            wanted = [width - value for width, value in zip(natural[1:], kept, strict=True)]
            more = _capped(wanted, room - natural[0] - sum(kept), least=0)
            return [natural[0], *(value + extra for value, extra in zip(kept, more, strict=True))]
    return [natural[0], *_capped(natural[1:], room - natural[0], least=24)]


def _capped(widths: list[int], room: int, least: int) -> list[int]:
    """``widths`` within ``room``: the widest cut to one cap, the rest kept (none under ``least``)."""
    left, ordered = room, sorted(widths)
    cap = 0
    for index, width in enumerate(ordered):
        share = left // (len(ordered) - index)
        if width > share:
            cap = share
            break
        left -= width
    return [min(width, max(cap, least)) for width in widths]


def _wrap(text: str, metrics: QFontMetrics, width: int, elide: bool = False) -> str:
    """``text`` in lines of whole words, each as wide as ``width`` at most (a longer word stays whole, or is cut
    with an ellipsis where ``elide``)."""
    lines: list[str] = []
    for word in text.split():
        if elide and metrics.horizontalAdvance(word) > width:
            word = metrics.elidedText(word, Qt.TextElideMode.ElideRight, width)
        if lines and metrics.horizontalAdvance(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


class ReportDialog(ReadingOrderDialog):
    shown = Signal()  # the tables for the current period are on screen
    csv_saved = Signal(str)  # the path written

    def __init__(self, session: Session, kind: ReportKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, f"reportDialog_{kind.key}", kind.title)
        self.setWindowTitle(self.tr("Report: %1").replace("%1", kind.title))
        self._session, self._kind = session, kind
        self._tables: tuple[ReportTable, ...] = ()
        self._report: CaseloadReport | None = None  # the tables' report: its day and period note for the PDF too
        self._shown_period: tuple[date, date] | None = None  # the period the tables are of, as typed
        today = session.today()
        self.period_start = DateField("reportPeriodStart", self.tr("First day of the period"), self)
        self.period_end = DateField("reportPeriodEnd", self.tr("Last day of the period"), self)
        self.period_start.set_date(date(today.year, 1, 1))
        self.period_end.set_date(today)
        self.period_error = ErrorLabel(self)
        # A period ending after today is counted up to today (ibic.reports): said under the period, as in the PDF.
        self.period_note = QLabel(self)
        self.period_note.setObjectName("reportPeriodNote")
        self.period_note.setWordWrap(True)
        self.period_note.hide()
        self.tabs = named(QTabWidget(self), "reportTabs", self.tr("Report tables"))
        self.csv_button = push_button(self.tr("Export as CSV…"), "reportCsvButton", self.export_csv, self)
        self.pdf_button = push_button(self.tr("Preview and print as PDF…"), "reportPdfButton", self.preview_pdf,
                                      self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        # Stäng is the default, framed so: the CSV button, first of the dialog's buttons, was framed as the default
        # (s29-look), as if Enter would save a file. Enter on a focused button still presses that one, and Enter
        # elsewhere presses none (``keyPressEvent``).
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        period = QFormLayout()
        period.addRow(self.tr("From"), self.period_start)
        period.addRow(self.tr("To"), self.period_end)
        period.addRow("", self.period_error)
        # One under the other when they do not fit side by side (20 pt on a small screen).
        actions = ReflowRow([self.csv_button, self.pdf_button], self)
        layout = QVBoxLayout(self)
        layout.addLayout(period)
        layout.addWidget(self.period_note)  # hidden, it takes no room (a form row's empty label did: 20 pt, 600 px)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(actions)
        layout.addWidget(buttons)
        self.period_start.date_edited.connect(lambda _d: self.refresh())
        self.period_end.date_edited.connect(lambda _d: self.refresh())
        # After refresh (connected after it): each key, also of a day half typed or impossible (no refresh).
        for field in (self.period_start, self.period_end):
            field.edit.textEdited.connect(lambda _t: self._exports_follow_period())
        # Wide for the tables, but within the screen: at 16 pt 130 characters are wider than a 1366-pixel screen.
        fit_to_screen(self, QSize(self.fontMetrics().averageCharWidth() * 130, self.fontMetrics().lineSpacing() * 32))
        self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in a period field ends the date (the report shows that period) and goes no further: passed on, it
        # pressed the first button, Exportera som CSV…, which opened a save dialog.
        if not enter_kept_from_default(self, event):
            super().keyPressEvent(event)

    # --- computing ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        start, end = self.period_start.value(), self.period_end.value()
        if start is None or end is None:
            self.period_error.show_message(self.tr("Enter both days of the period as YYYY-MM-DD."))
            self._exports_follow_period()
            return
        if end < start:
            self.period_error.show_message(self.tr("The period ends before it starts."))
            self._exports_follow_period()
            return
        self.period_error.show_message("")
        report = caseload_report(own_caseload(self._session, start, end), self._session.ref)
        self._report = report
        note = report.period_note
        self.period_note.setText("" if note is None else shown(note))
        self.period_note.setVisible(note is not None)
        self._tables = self._kind.tables(report)
        current = self.tabs.currentIndex()
        self.tabs.clear()
        for table in self._tables:
            self.tabs.addTab(self._page(table), shown(table.heading))
        self.tabs.setCurrentIndex(max(current, 0))
        self._shown_period = (start, end)
        self._exports_follow_period()
        self.shown.emit()

    def _exports_follow_period(self) -> None:
        """CSV and PDF only of the period the fields say: while a day is half typed or impossible, or the period ends
        before it starts, the tables still shown are of the period before, and Exportera som CSV… saved them under
        that period's name with "Perioden slutar innan den börjar." on screen (s34-probe3)."""
        typed = (self.period_start.value(), self.period_end.value())
        current = self._shown_period is not None and typed == self._shown_period
        self.csv_button.setEnabled(current)
        self.pdf_button.setEnabled(current)

    def _page(self, table: ReportTable) -> QWidget:
        page = QWidget(self.tabs)
        layout = QVBoxLayout(page)
        layout.addWidget(_table_widget(table, page), 1)
        empty = QLabel(self.tr("No cases in the period."), page) if not table.cells else None
        if empty is not None:
            layout.addWidget(empty)
        if table.remark is not None:
            note = QLabel(shown(table.remark), page)
            note.setObjectName("reportNote")
            note.setWordWrap(True)
            layout.addWidget(note)
        return page

    def current_table(self) -> ReportTable | None:
        index = self.tabs.currentIndex()
        return self._tables[index] if 0 <= index < len(self._tables) else None

    def _period_text(self) -> str:
        assert self._report is not None
        load = self._report.caseload
        return f"{load.period_start.isoformat()}-{load.period_end.isoformat()}"

    def _audit(self, action: str, detail: str) -> None:
        self._session.profile.audit.record(action, detail=detail)

    # --- export -------------------------------------------------------------------------------------------
    def export_csv(self) -> None:
        """The table on the open tab as a CSV file (UTF-8, semicolons) where the user chooses."""
        table = self.current_table()
        if table is None or self._report is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        part = f"-{self.tabs.currentIndex() + 1}" if len(self._tables) > 1 else ""
        suggested = Path(folder) / f"rapport-{self._kind.key}{part}-{self._period_text()}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the report as CSV"), str(suggested), self.tr("CSV files (*.csv)")
        )
        if not path:
            return
        target = Path(path) if path.lower().endswith(".csv") else Path(path + ".csv")
        try:
            self._audit("export_csv", f"rapport {self._kind.key}{part}")
        except Exception:  # the audit log is unavailable: no copy leaves the app unrecorded
            QMessageBox.critical(
                self,
                self.tr("Not recorded"),
                self.tr("The action could not be written to the audit log, so it was stopped. Try again."),
            )
            return
        if not write_chosen_file(self, target, to_csv(table)):
            return
        self.csv_saved.emit(str(target))

    def preview_pdf(self) -> None:
        """All tables of this report as a document in the utredning's style, in the shared preview dialog."""
        if self._report is None:
            return
        caseworker = self._session.caseworker
        scope = own_caseload_scope(caseworker)  # the document is Swedish in either interface language
        outline = report_outline(self._tables, self._report, self._session.ref, scope=scope, made_by=caseworker)
        kind = DocumentKind(
            self.tr("Preview: report"),
            self.tr("Save the report as PDF"),
            f"rapport-{self._kind.key}-{self._period_text()}.pdf",
            f"rapport {self._kind.key}",
        )
        open_outline_preview(self, outline, kind, audit=self._audit)
